#!/usr/bin/env bash
# The zoo models' speed for the README's model table (docs/benchmarks.md, section Zoo models): texts per second of
# each model file through the SDK, analyzeAll in batches of 32, on short and long texts of its language (English:
# VADER rows, IMDB reviews; Chinese: food-delivery reviews, shopping reviews of more than 100 characters), with 1
# intra-op thread (the SDK's default) and one per core. About 4 minutes on 2 cores. More files can follow as
# arguments (such as a float32 export, to compare).
#
#   benchmarks/zoo.sh
#
# Needs datasets/en and datasets/zh in ../shared (or SENTIKIT_SHARED_DIR); exits with status 3, saying so, when
# they are missing.
# MVN_ARGS (such as -o) is passed to Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SENTIKIT_SHARED_DIR:-$root/../shared}"
vader="$shared/datasets/en/vader-3class-train.tsv"
imdb="$shared/datasets/en/imdb.tsv"
waimai="$shared/datasets/zh/waimai_10k.tsv"
shopping="$shared/datasets/zh/online_shopping_9_cats.tsv"
if [[ ! -f "$vader" || ! -f "$imdb" || ! -f "$waimai" || ! -f "$shopping" ]]; then
  echo "benchmarks/zoo.sh: $vader, $imdb, $waimai or $shopping not found (SENTIKIT_SHARED_DIR names the folder that holds datasets/)." \
    "Nothing was run." >&2
  exit 3
fi
self=benchmarks/zoo.sh
# shellcheck source=benchmarks/_build.sh
source "$root/benchmarks/_build.sh"
benchmarks_build
models=()
for name in en en-lite zh zh-lite; do
  models+=("$root/model-zoo/$name/src/main/resources/META-INF/sentikit/zoo/$name.onnx")
done
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.sentikit.bench.ZooThroughput "$vader" "$imdb" \
  "$waimai" "$shopping" "${models[@]}" "$@"
