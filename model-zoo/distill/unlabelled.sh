#!/usr/bin/env bash
# Writes the unlabelled texts of the shared corpora that `trainer distill --unlabelled` reads, one text a line, into
# OUT_DIR (default target/distill/unlabelled), from the repository root:
#   model-zoo/distill/unlabelled.sh [path/to/shared/datasets] [OUT_DIR]
# English:  imdb-sentences.txt  the IMDB reviews split into sentences (3 to 60 words), from the 95% of imdb.tsv that
#                               is not the seeded 4% + 1% IMDB sample the zoo models are evaluated on (another domain)
#           tweets.txt          the SemEval tweets' texts, labels dropped
# Chinese texts are not written here: every Chinese corpus is labelled training data of zh (model-zoo/zoo.sh,
# zh_splits) or its other-domain check (waimai_10k.tsv), and zh-lite/distill.sh takes the sentences of the training
# texts (unlabelled.py zh-sentences). The VADER test split is not filtered here: `trainer distill --exclude test.tsv`
# drops every unlabelled text that is the same as a test text, and the validation texts always. Needs python3 (no
# packages). About a minute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
datasets="${1:-../shared/datasets}"
out="${2:-target/distill/unlabelled}"
imdb="$datasets/en/imdb.tsv"
tweets="$datasets/en/semeval-tweets-3class.tsv"
require_sha256 "$imdb" daca958cae6ab29bd808df5cbb2f0fa8b0a705e1b85036ed2f30060771d4f9cd
require_sha256 "$tweets" 86a8f3db07dc07b161ee63422d0aa0d791a60ff29ba7259ebe930cb7a32ef669
mkdir -p "$out"
# the IMDB sample of model-zoo/en/train.sh and en-lite/train.sh, made the same way: its train.tsv is what is left
bin/trainer split --data "$imdb" --output "$out/imdb-split" --test-fraction 0.04 --valid-fraction 0.01 --seed 42
python3 model-zoo/distill/unlabelled.py sentences "$out/imdb-split/train.tsv" "$out/imdb-sentences.txt"
python3 model-zoo/distill/unlabelled.py texts "$tweets" "$out/tweets.txt"
wc -l "$out"/*.txt
