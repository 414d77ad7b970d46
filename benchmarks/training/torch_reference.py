#!/usr/bin/env python3
"""The trainer's three architectures written in PyTorch for Python, trained on the very ids the Java trainer
trained on, to compare training throughput (examples per second). Run by
dev.sentikit.bench.TrainingThroughput (benchmarks/training.sh), which writes the data:

  NAME.json     rows, labels, dim, hidden, batch_size, learning_rate, epochs, batching, pool, seed, architecture
  NAME.ids      every text's ids, concatenated (int32, little-endian)
  NAME.lengths  each text's number of ids (int32, little-endian)
  NAME.targets  each text's label index (int32, little-endian)

Prints one JSON object per epoch: {"epoch": k, "examples_per_second": x, "train_loss": l}.
Each module mirrors its Java twin in trainer/src/main/java/dev/sentikit/architecture (bag/BagBlock, cnn/CnnBlock,
bilstm/BiLstmBlock): the same layers and sizes, padding masked the same way, the same batches (padded to their
longest text), dense embedding gradients, Adam, and the same timing: the training steps of an epoch, not the
validation.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Bag(nn.Module):
    def __init__(self, rows, dim, labels, hidden):
        super().__init__()
        self.embedding = nn.Embedding(rows, dim)
        self.linear = nn.Linear(dim, labels)

    def forward(self, ids):
        mask = (ids != 0).float()
        summed = (self.embedding(ids) * mask.unsqueeze(2)).sum(1)
        count = mask.sum(1, keepdim=True).clamp(min=1)
        return self.linear(summed / count)


class Cnn(nn.Module):
    WIDTHS = (3, 5)

    def __init__(self, rows, dim, labels, hidden):
        super().__init__()
        self.embedding = nn.Embedding(rows, dim)
        self.convs = nn.ModuleList(nn.Conv1d(dim, hidden, w, padding=w // 2) for w in self.WIDTHS)
        self.linear = nn.Linear(hidden * len(self.WIDTHS), labels)

    def forward(self, ids):
        mask = (ids != 0).float()
        x = (self.embedding(ids) * mask.unsqueeze(2)).transpose(1, 2)  # [B, D, T], padding zeroed
        out_mask = mask.unsqueeze(1)
        pooled = [(F.relu(conv(x)) * out_mask).max(2).values for conv in self.convs]
        return self.linear(torch.cat(pooled, 1))


class BiLstm(nn.Module):
    def __init__(self, rows, dim, labels, hidden):
        super().__init__()
        self.dim, self.hidden = dim, hidden
        self.embedding = nn.Embedding(rows, dim)
        self.forward_lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.backward_lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.linear = nn.Linear(2 * hidden, labels)

    def forward(self, ids):
        mask = (ids != 0).float()
        t = ids.shape[1]
        emb = self.embedding(ids) * mask.unsqueeze(2)
        lengths = mask.sum(1).clamp(min=1).long()
        last = (lengths - 1).view(-1, 1, 1).expand(-1, 1, self.hidden)
        out_f, _ = self.forward_lstm(emb)
        h_f = out_f.gather(1, last).squeeze(1)
        positions = torch.arange(t).view(1, -1)
        length = lengths.view(-1, 1)
        index = torch.where(positions < length, length - 1 - positions, positions)
        reversed_emb = emb.gather(1, index.unsqueeze(2).expand(-1, -1, self.dim))
        out_b, _ = self.backward_lstm(reversed_emb)
        h_b = out_b.gather(1, last).squeeze(1)
        return self.linear(torch.cat([h_f, h_b], 1))


MODELS = {"bag": Bag, "cnn": Cnn, "bilstm": BiLstm}


def batch_order(lengths, batch_size, batching, pool, seed):
    """As SentimentTrainer.batchOrder: a shuffled order, or pools of `pool` batches sorted by length whose full
    batches are shuffled (the random numbers differ from Java's; the batches' make-up is the same in kind)."""
    rng = np.random.RandomState(seed % (2 ** 32))
    n = len(lengths)
    order = rng.permutation(n)
    if batching == "random" or n <= batch_size:
        return order
    size = batch_size * pool
    for start in range(0, n, size):
        chunk = order[start:start + size]
        order[start:start + size] = chunk[np.argsort(lengths[chunk], kind="stable")]
    full = n // batch_size
    batches = rng.permutation(full)
    head = order[:full * batch_size].reshape(full, batch_size)[batches].reshape(-1)
    return np.concatenate([head, order[full * batch_size:]])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="NAME: reads NAME.json, NAME.ids, NAME.lengths, NAME.targets")
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    header = json.load(open(args.data + ".json"))
    lengths = np.fromfile(args.data + ".lengths", dtype="<i4").astype(np.int64)
    flat = np.fromfile(args.data + ".ids", dtype="<i4").astype(np.int64)
    targets = np.fromfile(args.data + ".targets", dtype="<i4").astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    rows = [flat[offsets[i]:offsets[i + 1]] for i in range(len(lengths))]

    torch.manual_seed(header["seed"])
    model = MODELS[header["architecture"]](header["rows"], header["dim"], header["labels"], header["hidden"])
    optimizer = torch.optim.Adam(model.parameters(), lr=header["learning_rate"])
    batch_size = header["batch_size"]
    n = len(rows)
    for epoch in range(1, header["epochs"] + 1):
        model.train()
        order = batch_order(lengths, batch_size, header["batching"], header["pool"], header["seed"] * 31 + epoch)
        loss_sum = 0.0
        start = time.perf_counter()
        for begin in range(0, n, batch_size):
            chosen = order[begin:begin + batch_size]
            width = max(1, int(lengths[chosen].max()))
            x = np.zeros((len(chosen), width), dtype=np.int64)
            for r, i in enumerate(chosen):
                x[r, :lengths[i]] = rows[i]
            xs = torch.from_numpy(x)
            ys = torch.from_numpy(targets[chosen])
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xs), ys)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(chosen)
        seconds = time.perf_counter() - start
        print(json.dumps({"epoch": epoch, "examples_per_second": n / seconds, "train_loss": loss_sum / n}),
              flush=True)


if __name__ == "__main__":
    main()
