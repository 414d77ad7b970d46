#!/usr/bin/env bash
# Distils the English lite model from a teacher model file: a bag of words and bigrams trained on the teacher's
# probabilities over the VADER training split and unlabelled IMDB sentences and tweets. From the repository root:
#   model-zoo/en-lite/distill.sh [TEACHER.onnx] [path/to/shared/datasets] [UNLABELLED_LIMIT]
# TEACHER defaults to the zoo's en; UNLABELLED_LIMIT (texts taken from each unlabelled file, default 40000) sets the
# size of the run: the teacher labels 14,973 + 2 x LIMIT texts once (about 150 a second for en on 2 busy cores;
# kept in the cache, so a rerun, a resume or a larger LIMIT pays only for new texts). Writes target/zoo/en-lite-distilled/
# with the run, its evaluations (test split, IMDB sample, probes) and en-lite.onnx; compare its test macro-F1 with
# the directly trained model's (model-zoo/en-lite/train.sh, or MODEL_CARD.md) before shipping it in the zoo
# (cp target/zoo/en-lite-distilled/en-lite.onnx model-zoo/en-lite/src/main/resources/META-INF/sentikit/zoo/).
# Same teacher, data, seed and CPU give the same model.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
teacher="${1:-model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx}"
datasets="${2:-../shared/datasets}"
limit="${3:-40000}"
vader="$datasets/en/vader-3class-train.tsv"                  # MIT
imdb="$datasets/en/imdb.tsv"                                 # MIT (package); Maas et al. 2011
require_sha256 "$vader" d5f19fdb725532f078f0fb3632c64c224625f13fc31b23a4175aacd74357821b
require_sha256 "$imdb" daca958cae6ab29bd808df5cbb2f0fa8b0a705e1b85036ed2f30060771d4f9cd

work=target/zoo/en-lite-distilled
unlabelled="$work/unlabelled"
# The split of en and en-lite (80 / 10 / 10, stratified, seed 42): the teacher en was fine-tuned on train.tsv only,
# so neither teacher nor student has seen test.tsv; valid.tsv chooses the student's epoch and temperature.
bin/trainer split --data "$vader" --output "$work/split" --seed 42
[[ -f "$unlabelled/tweets.txt" ]] || model-zoo/distill/unlabelled.sh "$datasets" "$unlabelled"
# The student: a bag of words and bigrams (faster than fastText), on the teacher's probabilities over the labelled
# rows (alpha 0.5: half gold label, half teacher) and LIMIT IMDB sentences and LIMIT tweets (the teacher's alone).
# Unlabelled texts that are test or validation texts are dropped (--exclude, and the validation split always).
bin/trainer distill --teacher "$teacher" --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" \
  --exclude "$work/split/test.tsv" --labels negative,neutral,positive \
  --unlabelled "$unlabelled/imdb-sentences.txt" --unlabelled "$unlabelled/tweets.txt" --unlabelled-limit "$limit" \
  --model bag --embedding-dim 32 --batch-size 256 --epochs 4 --seed 42 --device cpu \
  --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/split/test.tsv" --record test
# Another domain: 1,983 IMDB reviews (the seeded 4% sample of en and en-lite; unlabelled.sh leaves it out).
bin/trainer split --data "$imdb" --output "$work/imdb" --test-fraction 0.04 --valid-fraction 0.01 --seed 42
bin/trainer evaluate --model "$work/run" --data "$work/imdb/test.tsv" --record imdb_sample
bin/trainer evaluate --model "$work/run" --data model-zoo/probes/en.tsv --record probes
bin/trainer export --format onnx --model "$work/run" --name en-lite \
  --description "English sentiment of short texts (tweets, review and editorial snippets): negative, neutral, positive. A bag of words and bigrams distilled from the transformer en." \
  --limitation "Trained on the probabilities of en over 14,973 labelled short English texts (VADER ground truth) and unlabelled IMDB sentences and tweets; long reviews and other languages are out of domain." \
  --limitation "A bag of words and bigrams: negation beyond two words and word order are not seen." \
  --limitation "Neutral is the weakest class." \
  --output "$work/en-lite.onnx"
