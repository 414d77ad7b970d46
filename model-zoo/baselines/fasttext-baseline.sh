#!/usr/bin/env bash
# fastText baseline on the same split files as the zoo models (Debian package fasttext).
#   model-zoo/baselines/fasttext-baseline.sh SPLIT_DIR [words|chars]
# SPLIT_DIR holds train.tsv / valid.tsv / test.tsv from `bin/trainer split`. With `chars`, text is split into
# characters (the usual fastText setting for Chinese). fastText gets the same model selection as ours: a small
# grid of learning rates and epochs (-wordNgrams 2, -dim 100) scored on valid.tsv; the best is scored once on
# test.tsv. Prints one line per setting, then the test line.
set -euo pipefail
split="$1"
mode="${2:-words}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for part in train valid test; do
  python3 "$here/to_fasttext.py" "$mode" < "$split/$part.tsv" > "$work/$part.txt"
done
best=""
best_f1=-1
for lr in 0.05 0.1 0.25 0.5 1.0; do
  for epoch in 5 25 50; do
    fasttext supervised -input "$work/train.txt" -output "$work/m-$lr-$epoch" -wordNgrams 2 -dim 100 \
      -lr "$lr" -epoch "$epoch" -seed 42 -thread 1 -verbose 0
    fasttext predict "$work/m-$lr-$epoch.bin" "$work/valid.txt" > "$work/valid.pred"
    line="$(python3 "$here/score.py" "$work/valid.txt" "$work/valid.pred")"
    echo "valid  -lr $lr -epoch $epoch  $line"
    f1="${line##*macro-F1 }"
    if python3 -c "import sys; sys.exit(0 if float('$f1') > float('$best_f1') else 1)"; then
      best="$lr-$epoch"
      best_f1="$f1"
    fi
  done
done
fasttext predict "$work/m-$best.bin" "$work/test.txt" > "$work/test.pred"
echo "test   best on valid: -lr ${best%-*} -epoch ${best#*-}  $(python3 "$here/score.py" "$work/test.txt" "$work/test.pred")"
