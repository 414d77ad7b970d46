# Shared by the zoo models' train.sh and distill.sh scripts (sourced, run from the repository root).

# require_sha256 FILE SHA: stop unless FILE has exactly these bytes.
require_sha256() {
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$actual" != "$2" ]]; then
    echo "$1 has SHA-256 $actual, expected $2: not the data this model was trained on" >&2
    exit 1
  fi
}

# zh_splits DATASETS WORK: the data of the Chinese models. Checks the four Chinese corpora, splits the shopping reviews
# (negative / positive), the restaurant reviews and the car-forum posts (negative / neutral / positive) each 80 / 10 / 10
# (stratified, seed 42) into WORK/shopping, WORK/restaurant and WORK/car, and joins them, one after the other, into
# WORK/split/{train,valid,test}.tsv; the test splits are never used for training or choices. Sets zh_waimai, the
# food-delivery reviews (negative / positive), which no Chinese model trains on: the other-domain check.
zh_splits() {
  local datasets="$1" work="$2"
  local shopping="$datasets/zh/online_shopping_9_cats.tsv"   # ChineseNlpCorpus, research use
  local restaurant="$datasets/zh/restaurant-3class.tsv"      # yangheng95/ABSADatasets (Dianping), research use
  local car="$datasets/zh/car-forum-3class.tsv"              # CCF BDCI 2018 car forum, research use
  zh_waimai="$datasets/zh/waimai_10k.tsv"                    # ChineseNlpCorpus, research use
  require_sha256 "$shopping" e1360caed48390f597b4a238b4b5d0b3e3056efdbcff74a14750e70cbff9a22a
  require_sha256 "$restaurant" 479e79ddbf6ab5138941bad7bd400abc9a06d337ab187786ec44ab2d0fac0c81
  require_sha256 "$car" b0d8f5a1293ad13bde936582db0604182a66b5dbf1ea9320291d6615526df033
  require_sha256 "$zh_waimai" 8f536875e8cb08c9820399ecf123928e61e6a4891671756f57d076cefa983f8f
  local corpus part
  for corpus in shopping restaurant car; do
    bin/trainer split --data "${!corpus}" --output "$work/$corpus" --seed 42
  done
  mkdir -p "$work/split"
  for part in train valid test; do
    cat "$work"/{shopping,restaurant,car}/$part.tsv > "$work/split/$part.tsv"
  done
}

# zh_evaluate RUN WORK: evaluates a Chinese run on the splits of zh_splits (all three, then each source), food delivery
# and the probe sentences, recording each in the run's card (the exported file carries them). The shopping and
# food-delivery rows have no neutral label: their results also give the accuracy between negative and positive.
zh_evaluate() {
  local run="$1" work="$2"
  bin/trainer evaluate --model "$run" --data "$work/split/test.tsv" --record test
  bin/trainer evaluate --model "$run" --data "$work/restaurant/test.tsv" --record restaurant_test
  bin/trainer evaluate --model "$run" --data "$work/car/test.tsv" --record car_test
  bin/trainer evaluate --model "$run" --data "$work/shopping/test.tsv" --record shopping_test
  bin/trainer evaluate --model "$run" --data "$zh_waimai" --record waimai
  # hand-written: negation, contrast, intensifiers, neutral statements
  bin/trainer evaluate --model "$run" --data model-zoo/probes/zh.tsv --record probes
}
