#!/usr/bin/env bash
# Retrains the default English model (dev.sentikit.zoo:sentikit-model-en) from the repository root:
#   model-zoo/en/train.sh [path/to/shared/datasets]
# Data: datasets/en/vader-3class-train.tsv (MIT; 18,717 rows;
#   SHA-256 d5f19fdb725532f078f0fb3632c64c224625f13fc31b23a4175aacd74357821b, checked below).
# Same data, seed and CPU give the same parameters (DJL on PyTorch's CPU engine is deterministic here).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
datasets="${1:-../shared/datasets}"
data="$datasets/en/vader-3class-train.tsv"
expected=d5f19fdb725532f078f0fb3632c64c224625f13fc31b23a4175aacd74357821b
actual="$(sha256sum "$data" | cut -d' ' -f1)"
if [[ "$actual" != "$expected" ]]; then
  echo "train.sh: $data has SHA-256 $actual, expected $expected: not the data this model was trained on" >&2
  exit 1
fi
run=target/zoo-en
bin/trainer train --data "$data" --labels negative,neutral,positive --model bag \
  --epochs 5 --batch-size 64 --lr 0.001 --embedding-dim 32 --seed 42 --device cpu --output "$run"
bin/trainer export --format onnx --model "$run" --name en \
  --output "model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx"
