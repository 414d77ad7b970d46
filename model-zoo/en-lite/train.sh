#!/usr/bin/env bash
# Retrains the English model `en-lite` (dev.sentikit.zoo:sentikit-model-en-lite) from the repository
# root:   model-zoo/en-lite/train.sh [path/to/shared/datasets]
# Same data, seed and CPU give the same model. About 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
datasets="${1:-../shared/datasets}"
vader="$datasets/en/vader-3class-train.tsv"                  # MIT
imdb="$datasets/en/imdb.tsv"                                 # MIT (package); Maas et al. 2011
glove="$datasets/embeddings/glove-6B-100d-top150k.txt.gz"    # PDDL / MIT (package)
require_sha256 "$vader" d5f19fdb725532f078f0fb3632c64c224625f13fc31b23a4175aacd74357821b
require_sha256 "$imdb" daca958cae6ab29bd808df5cbb2f0fa8b0a705e1b85036ed2f30060771d4f9cd
require_sha256 "$glove" 065d539b3b7ca5885ed80fb9c0ee63048c501adabf256a3cfa352231e6acd2a4

work=target/zoo/en-lite
# 80 / 10 / 10, stratified, seed 42: the test split is never used for training or model selection.
bin/trainer split --data "$vader" --output "$work/split" --seed 42
# --batching random: the shipped model was trained before length-bucketed batches became the default;
# with it this script gives the same parameters again.
bin/trainer train --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" --labels negative,neutral,positive \
  --model bilstm --embeddings "$glove" --hidden-size 128 --epochs 4 --lr 0.001 --seed 42 --device cpu \
  --batching random --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/split/test.tsv" --record test
# Another domain: 1,983 IMDB reviews (a seeded 4% sample), labelled negative / positive only.
bin/trainer split --data "$imdb" --output "$work/imdb" --test-fraction 0.04 --valid-fraction 0.01 --seed 42
bin/trainer evaluate --model "$work/run" --data "$work/imdb/test.tsv" --record imdb_sample
bin/trainer export --format onnx --model "$work/run" --name en-lite \
  --description "English sentiment of short texts (tweets, review and editorial snippets): negative, neutral, positive." \
  --limitation "Trained on 14,973 short English texts (VADER ground truth); long reviews and other languages are out of domain." \
  --limitation "Neutral is the weakest class." \
  --limitation "Sarcasm and long-range negation are often missed." \
  --output model-zoo/en-lite/src/main/resources/META-INF/sentikit/zoo/en-lite.onnx
