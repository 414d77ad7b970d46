#!/usr/bin/env bash
# The zoo transformers' inference speed (docs/benchmarks.md, section Zoo transformers): en (MiniLM-L6) and zh
# (bge-small-zh), each exported as float32 and as int8 (--quantize int8) from a float32 checkpoint rebuilt from the zoo
# file; the SDK (analyze, analyzeAll of 32 and 256), the raw session on pre-encoded ids and DJL on the same checkpoint,
# short and long texts, 1 and 2 threads, texts/s, CPU time per text and GFLOP/s against this core's measured peak;
# then the whole process, bin/sentiment --input, startup excluded. Prints the tables.
#
#   benchmarks/transformers.sh [quick|full] [SETS]
#                                               full (default): about 40 minutes on 2 cores
#                                               SETS: short, long or short,long (the default in full)
#                                               quick: en only, short texts, 1 thread, a smaller file; about 8 minutes
#                                               (rebuilding and exporting the models, the first time: 3 minutes more)
#
# Needs ../shared/datasets (or SENTIKIT_SHARED_DIR=DIR naming the folder that holds datasets/); exits with status 3,
# saying so, when it is absent. MVN_ARGS (such as -o) is passed to Maven. Everything lands in
# benchmarks/target/transformers: table.md (the JVM benchmark), process.md (the whole process).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-full}"
sets="${2:-short,long}"
case "$mode" in
  quick|full) ;;
  *) echo "usage: benchmarks/transformers.sh [quick|full] [short|long|short,long]" >&2; exit 2 ;;
esac
case "$sets" in
  short|long|short,long|long,short) ;;
  *) echo "usage: benchmarks/transformers.sh [quick|full] [short|long|short,long]" >&2; exit 2 ;;
esac
[[ "$mode" == quick ]] && sets=short
shared="${SENTIKIT_SHARED_DIR:-$root/../shared}"
for f in datasets/en/vader-3class-train.tsv datasets/en/imdb.tsv datasets/zh/waimai_10k.tsv \
    datasets/zh/online_shopping_9_cats.tsv; do
  if [[ ! -f "$shared/$f" ]]; then
    echo "benchmarks/transformers.sh: $shared/$f not found. The benchmark runs on the corpora beside the repository" \
      "(../shared/datasets, see README.md, section Data); set SENTIKIT_SHARED_DIR to the folder that holds datasets/." \
      "Nothing was run." >&2
    exit 3
  fi
done
shared="$(cd "$shared" && pwd)"
cd "$root"
self=benchmarks/transformers.sh
# shellcheck source=benchmarks/_build.sh
source "$root/benchmarks/_build.sh"
benchmarks_build
out="$root/benchmarks/target/transformers"
mkdir -p "$out"

models=en,zh
[[ "$mode" == quick ]] && models=en
# glibc malloc as bin/trainer sets it (DJL's PyTorch allocates large temporaries); ONNX Runtime is unaffected.
MALLOC_ARENA_MAX=1 java --add-modules jdk.incubator.vector -Dsentikit.shared.dir="$shared" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx4g -cp "$cp" dev.sentikit.bench.TransformerBenchmark "$mode" \
  --models "$models" --sets "$sets" --out "$out" 2> >(grep -v -e 'incubator' -e 'AutoNonVariableTypeMode' >&2)

# The whole process: bin/sentiment --input FILE > /dev/null, one JVM per run, after a run on one line (the startup:
# JVM, model loading and its checks), which is subtracted; /usr/bin/time gives wall and CPU time.
echo "== the whole process: bin/sentiment --input (startup excluded)" >&2
"$root/bin/sentiment" --version >/dev/null # builds the CLI on first use
work="$out/process"
mkdir -p "$work"
cut -f2- "$shared/datasets/en/vader-3class-train.tsv" >"$work/en-short.txt"
cut -f2- "$shared/datasets/zh/waimai_10k.tsv" >"$work/zh-short.txt"
# Long texts: the first 2,000 IMDB reviews, and the first 2,000 shopping reviews longer than 100 characters.
# (sed and python read their whole input: head would stop its writer, a failure under pipefail)
cut -f2- "$shared/datasets/en/imdb.tsv" | sed -n '1,2000p' >"$work/en-long.txt"
python3 - "$shared/datasets/zh/online_shopping_9_cats.tsv" >"$work/zh-long.txt" <<'PY'
import sys
texts = [line.rstrip("\n").split("\t", 1)[1] for line in open(sys.argv[1], encoding="utf-8") if "\t" in line]
print("\n".join([t for t in texts if len(t) > 100][:2000]))
PY
if [[ "$mode" == quick ]]; then
  head -3000 "$work/en-short.txt" >"$work/en-quick.txt" && mv "$work/en-quick.txt" "$work/en-short.txt"
fi
head -1 "$work/en-short.txt" >"$work/one.txt"

timed() { # prints "wall user sys" of: bin/sentiment --model MODEL --input FILE
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$root/bin/sentiment" --model "$1" --input "$2" >/dev/null 2>"$work/err" \
    || { cat "$work/err" >&2; exit 1; }
  cat "$work/time"
}
{
  echo "| whole process, startup excluded | texts | texts/s | CPU ms per text | startup (s) |"
  echo "|---|---:|---:|---:|---:|"
} >"$work/../process.md"
for set in ${sets//,/ }; do
  for name in ${models//,/ }; do
    for precision in fp32 int8; do
      model="$out/$name/$name-$precision.onnx"
      input="$work/$name-$set.txt"
      n=$(wc -l <"$input")
      read -r w1 u1 s1 < <(timed "$model" "$work/one.txt")
      read -r wn un sn < <(timed "$model" "$input")
      awk -v name="$name" -v p="$precision" -v set="$set" -v n="$n" -v w1="$w1" -v u1="$u1" -v s1="$s1" \
        -v wn="$wn" -v un="$un" -v sn="$sn" 'BEGIN { dt = wn - w1; cpu = (un + sn) - (u1 + s1);
          printf "| `bin/sentiment --model %s-%s.onnx --input`, %s | %d | %.0f | %.2f | %.1f |\n", name, p,
            set == "long" ? (name == "en" ? "IMDB" : "shopping, > 100 chars") \
              : (name == "en" ? "VADER" : "food delivery"),
            n, (n - 1) / dt, 1000 * cpu / (n - 1), w1 }' >>"$work/../process.md"
    done
  done
done
cat "$work/../process.md"
echo "(also in $out/table.md and $out/process.md)"
