#!/usr/bin/env bash
# Retrains the Chinese model `zh-lite` (dev.sentikit.zoo:sentikit-model-zh-lite) from the repository root:
#   model-zoo/zh-lite/train.sh [path/to/shared/datasets]
# Same data, seed and CPU give the same model.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
datasets="${1:-../shared/datasets}"
shopping="$datasets/zh/online_shopping_9_cats.tsv"           # ChineseNlpCorpus, research use
waimai="$datasets/zh/waimai_10k.tsv"                         # ChineseNlpCorpus, research use
require_sha256 "$shopping" e1360caed48390f597b4a238b4b5d0b3e3056efdbcff74a14750e70cbff9a22a
require_sha256 "$waimai" 8f536875e8cb08c9820399ecf123928e61e6a4891671756f57d076cefa983f8f

work=target/zoo/zh-lite
bin/trainer split --data "$shopping" --output "$work/split" --seed 42
# --batching random: the shipped model was trained before length-bucketed batches became the default;
# with it this script gives the same parameters again.
bin/trainer train --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" --labels negative,positive \
  --model bag --embedding-dim 64 --epochs 4 --lr 0.001 --seed 42 --device cpu \
  --batching random --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/split/test.tsv" --record test
# Another domain: all 11,891 food-delivery reviews.
bin/trainer evaluate --model "$work/run" --data "$waimai" --record waimai
bin/trainer export --format onnx --model "$work/run" --name zh-lite \
  --description "Chinese sentiment of product reviews: negative, positive (no neutral class: no Chinese neutral data)." \
  --limitation "Two labels only: there is no Chinese neutral training data, so neutral texts get negative or positive." \
  --limitation "Trained on e-commerce reviews in 9 categories; other domains (food delivery) score lower." \
  --output model-zoo/zh-lite/src/main/resources/META-INF/sentikit/zoo/zh-lite.onnx
