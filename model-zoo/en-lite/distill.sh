#!/usr/bin/env bash
# Distils the English lite model `en-lite` (the one the zoo ships): a bidirectional LSTM on GloVe vectors (Tang et
# al. 2019's student), trained on a teacher's probabilities over the VADER training split and unlabelled IMDB sentences. From the
# repository root:
#   model-zoo/en-lite/distill.sh [TEACHER.onnx] [path/to/shared/datasets] [UNLABELLED_LIMIT]
# TEACHER defaults to the zoo's previous en (0.2.0: all-MiniLM-L6-v2 fine-tuned on VADER alone, read from this
# repository's history), so that en-lite keeps MIT data only: today's en was also trained on SemEval tweets, which
# come under Twitter's terms, and a student learns what its teacher learnt. UNLABELLED_LIMIT (IMDB sentences taken,
# default 200000) sets the size of the run: the teacher labels 14,973 + LIMIT texts once (about 500 a second on
# 2 cores; kept in the cache, so a rerun, a resume or a larger LIMIT pays only for new texts). Writes
# target/zoo/en-lite-distilled/ with the run, its evaluations (test split, IMDB sample, probes) and en-lite.onnx;
# compare its validation macro-F1 with the other candidates' (docs/benchmarks.md, Distillation) before shipping it
# (cp target/zoo/en-lite-distilled/en-lite.onnx model-zoo/en-lite/src/main/resources/META-INF/sentikit/zoo/).
# Same teacher, data, seed and CPU give the same model. About 7 minutes of labelling the first time, then about 6
# minutes of training on 2 idle cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source model-zoo/zoo.sh
work=target/zoo/en-lite-distilled
mkdir -p "$work"
if [[ -n "${1:-}" ]]; then
  teacher="$1"
else
  teacher=target/zoo/teacher-en-vader.onnx
  git show a397a95:model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx > "$teacher"
  require_sha256 "$teacher" bda12c752c55cd9a9f43196a7f0328c3921a969864dcc3f168d5e185ea10567a
fi
datasets="${2:-../shared/datasets}"
limit="${3:-200000}"
vader="$datasets/en/vader-3class-train.tsv"                  # MIT
imdb="$datasets/en/imdb.tsv"                                 # MIT (package); Maas et al. 2011
glove="$datasets/embeddings/glove-6B-100d-top150k.txt.gz"    # PDDL / MIT (package)
require_sha256 "$vader" d5f19fdb725532f078f0fb3632c64c224625f13fc31b23a4175aacd74357821b
require_sha256 "$imdb" daca958cae6ab29bd808df5cbb2f0fa8b0a705e1b85036ed2f30060771d4f9cd
require_sha256 "$glove" 065d539b3b7ca5885ed80fb9c0ee63048c501adabf256a3cfa352231e6acd2a4

unlabelled="$work/unlabelled"
# The split of en and en-lite (80 / 10 / 10, stratified, seed 42): the teacher was fine-tuned on train.tsv only,
# so neither teacher nor student has seen test.tsv; valid.tsv chooses the student's epoch and temperature.
bin/trainer split --data "$vader" --output "$work/split" --seed 42
[[ -f "$unlabelled/imdb-sentences.txt" ]] || model-zoo/distill/unlabelled.sh "$datasets" "$unlabelled"
# The student: a bilstm on GloVe 100d (128 units each way), on the teacher's probabilities over the labelled rows
# (alpha 0.5: half gold label, half teacher) and LIMIT IMDB sentences (the teacher's alone). It was chosen by
# validation macro-F1 (0.706) over the same bilstm on 60,000 sentences (0.700) and a cnn (--model cnn, convolutions of
# 3 and 5 words: 0.675 on 60,000, 0.695 on 200,000). For speed over accuracy: a bag of words and bigrams on GloVe
# (--model bag --batch-size 256 with 60,000 sentences: test macro-F1 0.631 against 0.687, 3.3x the bilstm's texts a
# second, 1.17x fastText's; docs/benchmarks.md, Distillation).
# Unlabelled texts that are test or validation texts are dropped (--exclude, and the validation split always).
bin/trainer distill --teacher "$teacher" --data "$work/split/train.tsv" --valid "$work/split/valid.tsv" \
  --exclude "$work/split/test.tsv" --labels negative,neutral,positive \
  --unlabelled "$unlabelled/imdb-sentences.txt" --unlabelled-limit "$limit" \
  --model bilstm --embeddings "$glove" --epochs 4 --seed 42 --device cpu \
  --output "$work/run" --overwrite
bin/trainer evaluate --model "$work/run" --data "$work/split/test.tsv" --record test
# Another domain: 1,983 IMDB reviews (the seeded 4% sample of en and en-lite; unlabelled.sh leaves it out).
bin/trainer split --data "$imdb" --output "$work/imdb" --test-fraction 0.04 --valid-fraction 0.01 --seed 42
bin/trainer evaluate --model "$work/run" --data "$work/imdb/test.tsv" --record imdb_sample
bin/trainer evaluate --model "$work/run" --data model-zoo/probes/en.tsv --record probes
bin/trainer export --format onnx --model "$work/run" --name en-lite \
  --description "English sentiment of short texts (tweets, review and editorial snippets): negative, neutral, positive. A bidirectional LSTM on GloVe vectors, distilled from a fine-tuned MiniLM." \
  --limitation "Trained on the probabilities of a fine-tuned MiniLM (en 0.2.0) over 14,973 labelled short English texts (VADER ground truth) and 200,000 unlabelled IMDB sentences; long reviews and other languages are out of domain." \
  --limitation "One LSTM layer each way over the words, without sub-words: a word not in its vocabulary is read as one of 4,096 hashed ids." \
  --limitation "Neutral is the weakest class." \
  --output "$work/en-lite.onnx"
