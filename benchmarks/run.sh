#!/usr/bin/env bash
# The inference benchmarks of docs/benchmarks.md, section Inference: builds this module (and what it needs), trains
# and exports the benchmark model (once: a bag model on the VADER rows, kept in benchmarks/target/model while the
# data's SHA-256 and the recipe below stay the same), runs the JMH benchmarks, prints the table, then checks native
# memory over many calls and times fastText.
#
#   benchmarks/run.sh [quick|full]      full (default): 1 and 2 threads, about 6 minutes on 2 idle cores
#                                       quick: 1 thread, short iterations, about 2 minutes
#                                       (training the model, the first time: 2 to 5 minutes more)
#
# Needs the corpora in ../shared/datasets/en (or SENTIKIT_SHARED_DIR=DIR naming the folder that holds datasets/);
# exits with status 3, saying so, when they are absent. MVN_ARGS (such as -o) is passed to Maven.
# Everything lands in benchmarks/target/inference: table.md, jmh-*.json, native-memory.txt, fasttext.md.
# The benchmarks run their own model rather than a zoo model, so that they measure the same architecture whatever
# the zoo ships: the SDK and the raw session run the exported file, DJL the checkpoint it was exported from.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-full}"
case "$mode" in
  quick|full) ;;
  *) echo "usage: benchmarks/run.sh [quick|full]" >&2; exit 2 ;;
esac

shared="${SENTIKIT_SHARED_DIR:-$root/../shared}"
for f in datasets/en/vader-3class-train.tsv datasets/en/imdb.tsv; do
  if [[ ! -f "$shared/$f" ]]; then
    echo "benchmarks/run.sh: $shared/$f not found. The inference benchmarks run on the English corpora beside the" \
      "repository (../shared/datasets, see README.md, section Data); set SENTIKIT_SHARED_DIR to the folder that" \
      "holds datasets/ if they are elsewhere. Nothing was run." >&2
    exit 3
  fi
done
shared="$(cd "$shared" && pwd)"
out="$root/benchmarks/target/inference"

self=benchmarks/run.sh
# shellcheck source=benchmarks/_build.sh
source "$root/benchmarks/_build.sh"
benchmarks_build
mkdir -p "$out"

# The benchmark model: the recipe of the first default English model (a bag of words and bigrams, 32-wide
# embeddings), trained with the trainer CLI (the classes bin/trainer runs) on every VADER row.
model="$root/benchmarks/target/model"
vader="$shared/datasets/en/vader-3class-train.tsv"
recipe=(--labels negative,neutral,positive --model bag --epochs 5 --batch-size 64 --lr 0.001 --embedding-dim 32
  --seed 42 --device cpu --batching random)
key="$(sha256sum "$vader" | cut -d' ' -f1) ${recipe[*]}"
if [[ ! -f "$model/bag.onnx" || ! -d "$model/checkpoint" || "$(cat "$model/key" 2>/dev/null)" != "$key" ]]; then
  echo "== training the benchmark model (bag on $(wc -l < "$vader") VADER rows; once per data and recipe, a few minutes)" >&2
  rm -rf "$model"
  mkdir -p "$model"
  trainer=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.sentikit.cli.TrainerCli)
  if ! { "${trainer[@]}" train --data "$vader" "${recipe[@]}" --progress lines --output "$model/checkpoint" &&
      "${trainer[@]}" export --model "$model/checkpoint" --name bench-bag --output "$model/bag.onnx"; } \
      >"$model/train.log" 2>&1; then
    cat "$model/train.log" >&2
    echo "benchmarks/run.sh: training the benchmark model failed (output above)" >&2
    exit 1
  fi
  echo "$key" >"$model/key"
fi
tail -1 "$model/train.log" >&2
props=(-Dsentikit.shared.dir="$shared" -Dsentikit.bench.model="$model" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

echo "== JMH ($mode)" >&2
java "${props[@]}" -cp "$cp" dev.sentikit.bench.InferenceBenchmarks "$mode" --out "$out"

echo "== native memory (VmRSS over many calls, fixed pre-touched heap)" >&2
calls=200000
[[ "$mode" == quick ]] && calls=50000
java "${props[@]}" -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$cp" dev.sentikit.bench.NativeMemoryCheck "$calls" \
  | tee "$out/native-memory.txt"

echo "== fastText, whole process" >&2
runs=3
[[ "$mode" == quick ]] && runs=1
"$root/benchmarks/fasttext.sh" "$shared" "$out" "$cp" "$runs" "$model"
