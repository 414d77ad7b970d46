#!/usr/bin/env bash
# Distils the Chinese lite model from a teacher model file: a bag of characters and character bigrams trained on the
# teacher's probabilities over the shopping reviews' training split and unlabelled restaurant reviews and car-forum
# posts. From the repository root:
#   model-zoo/zh-lite/distill.sh [TEACHER.onnx] [path/to/shared/datasets] [UNLABELLED_LIMIT] [LABELS]
# TEACHER defaults to the zoo's zh. UNLABELLED_LIMIT: texts taken from each unlabelled file (default 0: all, 27,864).
# LABELS: the student's labels (default negative,positive, the labels of online_shopping_9_cats.tsv); a teacher with
# more labels (a three-label zh) teaches a two-label student with its third label's probability left out and the rest
# renormalized. The teacher labels 42,037 + the unlabelled texts once (the zoo's zh: about 40 long reviews a second on
# 2 busy cores, so budget a while; kept in the cache, so a rerun, a resume or a larger LIMIT pays only for new texts).
# Writes target/zoo/zh-lite-distilled/ with the run, its evaluations (test split, food delivery, probes) and
# zh-lite.onnx; compare its test figures with the directly trained model's (model-zoo/zh-lite/train.sh, MODEL_CARD.md)
# before shipping it in the zoo. Same teacher, data, seed and CPU give the same model. The shipped zh-lite has three
# labels (train.sh, trained directly): a distilled one that could replace it needs a three-label zh as teacher (issue 23).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
teacher="${1:-model-zoo/zh/src/main/resources/META-INF/sentikit/zoo/zh.onnx}"
datasets="${2:-../shared/datasets}"
limit="${3:-0}"
labels="${4:-negative,positive}"
shopping="$datasets/zh/online_shopping_9_cats.tsv"           # ChineseNlpCorpus, research use
waimai="$datasets/zh/waimai_10k.tsv"                         # ChineseNlpCorpus, research use
require_sha256 "$shopping" e1360caed48390f597b4a238b4b5d0b3e3056efdbcff74a14750e70cbff9a22a
require_sha256 "$waimai" 8f536875e8cb08c9820399ecf123928e61e6a4891671756f57d076cefa983f8f

work=target/zoo/zh-lite-distilled
unlabelled="$work/unlabelled"
# The split of zh and zh-lite (seed 42): the teacher zh was fine-tuned on train.tsv only.
bin/trainer split --data "$shopping" --output "$work/split" --seed 42
[[ -f "$unlabelled/restaurant.txt" ]] || model-zoo/distill/unlabelled.sh "$datasets" "$unlabelled"
# Food delivery (waimai) is not among the unlabelled texts: it is the other-domain check below.
bin/trainer distill --teacher "$teacher" --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" \
  --exclude "$work/split/test.tsv" --labels "$labels" \
  --unlabelled "$unlabelled/restaurant.txt" --unlabelled "$unlabelled/car-forum.txt" --unlabelled-limit "$limit" \
  --model bag --embedding-dim 64 --batch-size 256 --epochs 4 --seed 42 --device cpu \
  --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/split/test.tsv" --record test
bin/trainer evaluate --model "$work/run" --data "$waimai" --record waimai
bin/trainer evaluate --model "$work/run" --data model-zoo/probes/zh.tsv --record probes
bin/trainer export --format onnx --model "$work/run" --name zh-lite \
  --description "Chinese sentiment of product reviews: negative, positive. A bag of characters and character bigrams distilled from the transformer zh." \
  --limitation "Trained on the probabilities of zh over e-commerce reviews in 9 categories and unlabelled restaurant reviews and car-forum posts; other domains (food delivery) score lower." \
  --limitation "A bag of characters and bigrams: negation beyond two characters and word order are not seen." \
  --output "$work/zh-lite.onnx"
