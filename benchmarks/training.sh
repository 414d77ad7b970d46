#!/usr/bin/env bash
# The training benchmark of docs/benchmarks.md, section Training: the trainer (DJL on PyTorch 2.5.1) against the
# same three architectures in PyTorch for Python (Debian's python3-torch), on the same ids, batches and threads,
# in one run; plus the data path (encoding, the encoded-data cache, padding).
#
#   benchmarks/training.sh [quick|full]   quick: bag and cnn, bucketed batches, 3 epochs (about 3 minutes)
#                                         full (default): bag, cnn and bilstm with bucketed batches, bag and cnn
#                                         with random ones too, 3 epochs (about 10 minutes on 2 idle cores)
#
# Needs datasets/en/vader-3class-train.tsv in ../shared (or SENTIKIT_SHARED_DIR) and /usr/bin/python3 with torch
# (apt-get install python3-torch libopenblas0-pthread: without OpenBLAS Debian's torch multiplies matrices with the
# reference BLAS, 20 times slower here); exits with status 3, saying so, when either is missing. THREADS (default: the
# number of cores) sets the intra-op threads of both. MVN_ARGS (such as -o) is passed to Maven.
# Output: benchmarks/target/training/table.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-full}"
case "$mode" in
  quick) epochs=3; runs=bag:bucketed,cnn:bucketed ;;
  full) epochs=3; runs=bag:bucketed,cnn:bucketed,bilstm:bucketed,bag:random,cnn:random ;;
  *) echo "usage: benchmarks/training.sh [quick|full]" >&2; exit 2 ;;
esac
shared="${SENTIKIT_SHARED_DIR:-$root/../shared}"
data="$shared/datasets/en/vader-3class-train.tsv"
if [[ ! -f "$data" ]]; then
  echo "benchmarks/training.sh: $data not found (see README.md, section Data; SENTIKIT_SHARED_DIR names the folder" \
    "that holds datasets/). Nothing was run." >&2
  exit 3
fi
python=/usr/bin/python3
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "benchmarks/training.sh: $python cannot import torch and numpy: apt-get install python3-torch libopenblas0-pthread. Nothing was run." >&2
  exit 3
fi
threads="${THREADS:-$(nproc)}"

self=benchmarks/training.sh
# shellcheck source=benchmarks/_build.sh
source "$root/benchmarks/_build.sh"
benchmarks_build
out="$root/benchmarks/target/training"
rm -rf "$out"
# The malloc settings bin/trainer runs with (see there); the Python process inherits them, so both run alike.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
echo "torch $("$python" -c 'import torch; print(torch.__version__)') (Python, BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)), PyTorch 2.5.1 natives (DJL)" >&2
# One JVM per run, as one trains one model per process; each appends its row, the last prints the table.
for run in ${runs//,/ }; do
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" dev.sentikit.bench.TrainingThroughput "$data" "$out" "$epochs" \
    "$threads" "$python" "$root/benchmarks/training/torch_reference.py" "$run" >/dev/null
done
cat "$out/table.md"
