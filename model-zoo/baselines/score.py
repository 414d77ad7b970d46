"""Accuracy and macro-F1 of fastText predictions: score.py GOLD.txt PREDICTED.txt (one __label__x per line)."""
import sys


def labels(path):
    with open(path, encoding="utf-8") as f:
        return [line.split()[0].replace("__label__", "") for line in f]


gold = labels(sys.argv[1])
pred = labels(sys.argv[2])
assert len(gold) == len(pred), (len(gold), len(pred))
classes = sorted(set(gold))
f1s = []
for c in classes:
    tp = sum(g == c and p == c for g, p in zip(gold, pred))
    fp = sum(g != c and p == c for g, p in zip(gold, pred))
    fn = sum(g == c and p != c for g, p in zip(gold, pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold)
print(f"examples {len(gold)}  accuracy {accuracy:.4f}  macro-F1 {sum(f1s) / len(f1s):.4f}")
