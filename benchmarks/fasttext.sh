#!/usr/bin/env bash
# Whole-process comparison with fastText (Debian package fasttext): trains `fasttext supervised -wordNgrams 2` on
# the VADER rows, then times `fasttext predict-prob` and the SDK's PredictFile (JVM start, model load, analyzeAll
# in batches of 256, one line out per text) over the same text files, 3 runs each, with /usr/bin/time.
#   benchmarks/fasttext.sh SHARED_DIR OUT_DIR CLASSPATH [RUNS] [MODEL_DIR]   (run.sh calls it; writes OUT_DIR/fasttext.md)
set -euo pipefail
shared="$1"
out="$2"
cp="$3"
runs="${4:-3}"
model="${5:-$(dirname "$0")/target/model}"
if ! command -v fasttext >/dev/null; then
  echo "fastText comparison skipped: fasttext is not installed (apt-get install fasttext)" | tee "$out/fasttext.md"
  exit 0
fi
timer=()
if [[ -x /usr/bin/time ]]; then
  timer=(/usr/bin/time -f "%e %M")
fi
work="$out/fasttext"
mkdir -p "$work"
vader="$shared/datasets/en/vader-3class-train.tsv"
imdb="$shared/datasets/en/imdb.tsv"
awk -F'\t' '{ print "__label__" $1 " " tolower($2) }' "$vader" > "$work/train.txt"
cut -f2 "$vader" > "$work/short.txt"
cut -f2 "$imdb" > "$work/long.txt"

start=$(date +%s.%N)
fasttext supervised -input "$work/train.txt" -output "$work/vader" -wordNgrams 2 -thread 2 -seed 42 -verbose 0
train_s=$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")

# Prints "seconds maxrss_kib" of the fastest of $runs runs of the command ($1 = input file, rest = command).
fastest() {
  local input="$1"
  shift
  local best="" line i
  for ((i = 0; i < runs; i++)); do
    if [[ ${#timer[@]} -gt 0 ]]; then
      line="$("${timer[@]}" "$@" < "$input" 2>&1 >/dev/null | tail -1)"
    else
      local s
      s=$(date +%s.%N)
      "$@" < "$input" > /dev/null
      line="$(echo "$(date +%s.%N) - $s" | bc) -"
    fi
    if [[ -z "$best" ]] || (( $(echo "${line%% *} < ${best%% *}" | bc) )); then
      best="$line"
    fi
  done
  echo "$best"
}

# MiB from KiB, or "?" without /usr/bin/time.
mib() {
  [[ "$1" =~ ^[0-9]+$ ]] && echo "$(( $1 / 1024 ))" || echo "?"
}

{
  echo "fastText $(dpkg-query -W -f='${Version}' fasttext 2>/dev/null || echo '?'): trained on $(wc -l < "$vader") VADER rows in ${train_s}s" \
    "(-wordNgrams 2, other settings default: dim 100, 2M buckets; model $(du -m "$work/vader.bin" | cut -f1) MB)."
  echo
  echo "| whole process, fastest of $runs | texts | fastText predict-prob | texts/s | SDK PredictFile (JVM) | texts/s |"
  echo "|---|---:|---:|---:|---:|---:|"
  for set in short long; do
    n=$(wc -l < "$work/$set.txt")
    ft="$(fastest "$work/$set.txt" fasttext predict-prob "$work/vader.bin" -)"
    sdk="$(fastest "$work/$set.txt" java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dsentikit.bench.model="$model" -cp "$cp" dev.sentikit.bench.PredictFile)"
    printf '| %s | %d | %.2f s, %s MiB RSS | %.0f | %.2f s, %s MiB RSS | %.0f |\n' "$set" "$n" \
      "${ft%% *}" "$(mib "${ft##* }")" "$(echo "$n / ${ft%% *}" | bc -l)" \
      "${sdk%% *}" "$(mib "${sdk##* }")" "$(echo "$n / ${sdk%% *}" | bc -l)"
  done
} | tee "$out/fasttext.md"
