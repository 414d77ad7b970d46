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

work=target/zoo/zh-lite
# The splits of zh (zh_splits, model-zoo/zoo.sh).
zh_splits "$datasets" "$work"
bin/trainer train --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" --labels negative,neutral,positive \
  --model bag --embedding-dim 64 --epochs 4 --lr 0.001 --seed 42 --device cpu --output "$work/run" --overwrite
zh_evaluate "$work/run" "$work"
bin/trainer export --format onnx --model "$work/run" --name zh-lite \
  --description "Chinese sentiment of reviews and forum posts: negative, neutral, positive. A bag of characters and character bigrams." \
  --limitation "Trained on 64,327 Chinese texts: e-commerce reviews (no neutral label), restaurant reviews and car-forum posts (neutral learnt from these two); other domains (food delivery) score lower." \
  --limitation "A bag of characters and bigrams: negation and word order beyond two characters are not seen." \
  --limitation "Neutral is the weakest class: in the car forum it mostly means an aspect named without a judgement." \
  --output model-zoo/zh-lite/src/main/resources/META-INF/sentikit/zoo/zh-lite.onnx
