#!/usr/bin/env python3
"""The trainer's transformer (trainer/src/main/java/dev/sentikit/architecture/transformer/TransformerBlock.java)
written in PyTorch for Python, trained on the very ids and batches the Java trainer trained on, to compare the
cost of fine-tuning (examples per second). Run by dev.sentikit.bench.FineTuneThroughput (benchmarks/finetune.sh),
which writes the data:

  NAME.json     rows, labels, layers, hidden, heads, intermediate, positions, pooling, dropout, frozen, batch_size,
                learning_rate, weight_decay, clip_norm
  NAME.ids      every text's ids, concatenated (int32, little-endian); 0 is padding
  NAME.lengths  each text's number of ids (int32, little-endian)
  NAME.targets  each text's label index (int32, little-endian)
  NAME.order    the trainer's bucketed batch order (int32, little-endian)

Speed only: the weights are random (the same shape as the base's; the arithmetic does not depend on the values).
The same layers as the Java block: word + position + token-type embeddings and LayerNorm (epsilon 1e-12), per layer
self-attention with the padding mask (float32's lowest value added, as in the Java block), residual and LayerNorm, a GELU (erf) feed-forward, residual and LayerNorm;
mean or [CLS] pooling, dropout, a linear head; AdamW with weight decay, gradients clipped to a norm. With `frozen`
the encoder runs without gradients and only the head learns, as --freeze-encoder does. Prints one JSON object per
epoch: {"epoch": k, "examples_per_second": x, "train_loss": l}; 2 epochs over the same batches.
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EPSILON = 1e-12


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(3))
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=EPSILON)
        self.up = nn.Linear(hidden, intermediate)
        self.down = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=EPSILON)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, additive_mask):
        b, t, h = x.shape
        d = h // self.heads
        q, k, v = (p(x).view(b, t, self.heads, d).transpose(1, 2) for p in self.qkv)
        scores = q @ k.transpose(2, 3) / math.sqrt(d) + additive_mask
        context = (self.dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.attention_norm(x + self.dropout(self.attention_out(context)))
        return self.output_norm(x + self.dropout(self.down(F.gelu(self.up(x)))))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.words = nn.Embedding(c["rows"], c["hidden"])
        self.positions = nn.Embedding(c["positions"], c["hidden"])
        self.token_types = nn.Embedding(2, c["hidden"])
        self.norm = nn.LayerNorm(c["hidden"], eps=EPSILON)
        self.dropout = nn.Dropout(c["dropout"])
        self.layers = nn.ModuleList(Layer(c["hidden"], c["heads"], c["intermediate"], c["dropout"])
                                    for _ in range(c["layers"]))

    def forward(self, ids, mask):
        t = ids.shape[1]
        x = self.words(ids) + self.positions.weight[:t].unsqueeze(0) + self.token_types.weight[0]
        x = self.dropout(self.norm(x))
        additive = ((1.0 - mask) * torch.finfo(torch.float32).min).view(ids.shape[0], 1, 1, t)
        for layer in self.layers:
            x = layer(x, additive)
        return x


class Classifier(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.encoder = Encoder(c)
        self.frozen = c["frozen"]
        self.pooling = c["pooling"]
        self.dropout = nn.Dropout(c["dropout"])
        self.head = nn.Linear(c["hidden"], c["labels"])
        if self.frozen:
            for p in self.encoder.parameters():
                p.requires_grad_(False)

    def forward(self, ids):
        mask = (ids != 0).float()
        if self.frozen:
            with torch.no_grad():
                states = self.encoder(ids, mask)
        else:
            states = self.encoder(ids, mask)
        if self.pooling == "cls":
            pooled = states[:, 0]
        else:
            pooled = (states * mask.unsqueeze(2)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
        return self.head(self.dropout(pooled))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="NAME: reads NAME.json, .ids, .lengths, .targets, .order")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    c = json.load(open(args.data + ".json"))
    lengths = np.fromfile(args.data + ".lengths", dtype="<i4").astype(np.int64)
    flat = np.fromfile(args.data + ".ids", dtype="<i4").astype(np.int64)
    targets = np.fromfile(args.data + ".targets", dtype="<i4").astype(np.int64)
    order = np.fromfile(args.data + ".order", dtype="<i4").astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    rows = [flat[offsets[i]:offsets[i + 1]] for i in range(len(lengths))]

    torch.manual_seed(42)
    model = Classifier(c)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=c["learning_rate"], weight_decay=c["weight_decay"])
    batch_size = c["batch_size"]
    n = len(rows)
    for epoch in range(1, args.epochs + 1):
        model.train()
        loss_sum = 0.0
        start = time.perf_counter()
        for begin in range(0, n, batch_size):
            chosen = order[begin:begin + batch_size]
            width = max(1, int(lengths[chosen].max()))
            x = np.zeros((len(chosen), width), dtype=np.int64)
            for r, i in enumerate(chosen):
                x[r, :lengths[i]] = rows[i]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(targets[chosen]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, c["clip_norm"])
            optimizer.step()
            loss_sum += loss.item() * len(chosen)
        seconds = time.perf_counter() - start
        print(json.dumps({"epoch": epoch, "examples_per_second": n / seconds, "train_loss": loss_sum / n}),
              flush=True)


if __name__ == "__main__":
    main()
