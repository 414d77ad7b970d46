#!/usr/bin/env bash
# Retrains the Chinese model `zh-lite` (dev.sentikit.zoo:sentikit-model-zh-lite), a bag of characters and character
# bigrams, on e-commerce reviews, restaurant reviews and car-forum posts, three labels. From the repository root:
#   model-zoo/zh-lite/train.sh [path/to/shared/datasets]
# Same data, seed and CPU give the same model (a rerun from a clean clone gave the same parameters, bit for bit).
# About 2 minutes on 2 idle cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
datasets="${1:-../shared/datasets}"
shopping="$datasets/zh/online_shopping_9_cats.tsv"           # ChineseNlpCorpus, research use; negative / positive
restaurant="$datasets/zh/restaurant-3class.tsv"              # yangheng95/ABSADatasets (Dianping), research use
car="$datasets/zh/car-forum-3class.tsv"                      # CCF BDCI 2018 car forum, research use
waimai="$datasets/zh/waimai_10k.tsv"                         # ChineseNlpCorpus, research use; negative / positive
require_sha256 "$shopping" e1360caed48390f597b4a238b4b5d0b3e3056efdbcff74a14750e70cbff9a22a
require_sha256 "$restaurant" 479e79ddbf6ab5138941bad7bd400abc9a06d337ab187786ec44ab2d0fac0c81
require_sha256 "$car" b0d8f5a1293ad13bde936582db0604182a66b5dbf1ea9320291d6615526df033
require_sha256 "$waimai" 8f536875e8cb08c9820399ecf123928e61e6a4891671756f57d076cefa983f8f

work=target/zoo/zh-lite
# The splits of zh (each corpus 80 / 10 / 10, stratified, seed 42): the test splits are never used for training or
# choices. Training, validation and test are the three corpora's, one after the other.
for corpus in shopping restaurant car; do
  bin/trainer split --data "${!corpus}" --output "$work/$corpus" --seed 42
done
mkdir -p "$work/split"
for part in train valid test; do
  cat "$work"/{shopping,restaurant,car}/$part.tsv > "$work/split/$part.tsv"
done
bin/trainer train --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" --labels negative,neutral,positive \
  --model bag --embedding-dim 64 --epochs 4 --lr 0.001 --seed 42 --device cpu --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/split/test.tsv" --record test
bin/trainer evaluate --model "$work/run" --data "$work/restaurant/test.tsv" --record restaurant_test
bin/trainer evaluate --model "$work/run" --data "$work/car/test.tsv" --record car_test
# The shopping and food-delivery rows have no neutral label: read their results as negative-against-positive.
bin/trainer evaluate --model "$work/run" --data "$work/shopping/test.tsv" --record shopping_test
bin/trainer evaluate --model "$work/run" --data "$waimai" --record waimai
bin/trainer evaluate --model "$work/run" --data model-zoo/probes/zh.tsv --record probes
bin/trainer export --format onnx --model "$work/run" --name zh-lite \
  --description "Chinese sentiment of reviews and forum posts: negative, neutral, positive. A bag of characters and character bigrams." \
  --limitation "Trained on 64,327 Chinese texts: e-commerce reviews (no neutral label), restaurant reviews and car-forum posts (neutral learnt from these two); other domains (food delivery) score lower." \
  --limitation "A bag of characters and bigrams: negation and word order beyond two characters are not seen." \
  --limitation "Neutral is the weakest class: in the car forum it mostly means an aspect named without a judgement." \
  --output model-zoo/zh-lite/src/main/resources/META-INF/sentikit/zoo/zh-lite.onnx
