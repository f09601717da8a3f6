#!/usr/bin/env python3
"""The edgeml training recipe in PyTorch, for timing and accuracy comparisons (bench/train-vs-pytorch.sh).

Same data split as `edgeml train` (the first 10% of the training images, after a seeded shuffle, held
out), x = p/255, dense ReLU layers, softmax cross-entropy, Adam. One thread unless --threads says otherwise.
--arch cnn is `edgeml train --arch cnn`'s preset and recipe: conv 3x3x32, batch norm, ReLU, max-pool 2,
conv 3x3x64, batch norm, ReLU, max-pool 2, dense 128 ReLU, dropout 0.3, dense 10 (valid padding; batch
norm eps 1e-5 and momentum 0.1, as DL4J's eps 1e-5 and decay 0.9), Adam 0.002, batch 128, the learning
rate falling exponentially per batch to --lr-decay of its start by the last batch, 10 epochs.
Prints one JSON line: epoch_seconds, test_accuracy, val_accuracy.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, prefix):
    def find(name):
        for candidate in (name + ".gz", name):
            path = os.path.join(data_dir, candidate)
            if os.path.exists(path):
                return path
        raise SystemExit(f"missing {name}[.gz] in {data_dir}")
    images = read_idx(find(f"{prefix}-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255.0
    labels = read_idx(find(f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(images), torch.from_numpy(labels)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--arch", choices=["dense", "cnn"], default="dense")
    p.add_argument("--hidden", default="128")
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--lr", type=float, default=None, help="default 0.001 (dense), 0.002 (cnn)")
    p.add_argument("--lr-decay", type=float, default=1.0,
                   help="final learning rate as a fraction of --lr, reached exponentially by the last batch")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=None, help="default 32 (dense), 128 (cnn)")
    p.add_argument("--validation", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    cnn = a.arch == "cnn"
    a.lr = a.lr if a.lr is not None else (2e-3 if cnn else 1e-3)
    a.batch = a.batch if a.batch is not None else (128 if cnn else 32)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = load(a.data, "train")
    xt, yt = load(a.data, "t10k")
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(a.seed))
    n_val = int(len(y) * a.validation)
    xv, yv = x[order[:n_val]], y[order[:n_val]]
    x, y = x[order[n_val:]], y[order[n_val:]]

    if cnn:
        model = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)),
            nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(5 * 5 * 64, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    else:
        layers, width = [], 784
        for h in [int(s) for s in a.hidden.split(",")]:
            layers += [nn.Linear(width, h), nn.ReLU()]
            if a.dropout > 0:
                layers.append(nn.Dropout(a.dropout))
            width = h
        model = nn.Sequential(*layers, nn.Linear(width, 10))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    iterations = a.epochs * ((len(y) + a.batch - 1) // a.batch)
    schedule = torch.optim.lr_scheduler.ExponentialLR(opt, a.lr_decay ** (1.0 / max(1, iterations - 1)))
    loss_fn = nn.CrossEntropyLoss()

    def accuracy(xs, ys):
        model.eval()
        with torch.no_grad():
            correct = sum((model(xs[i:i + 1000]).argmax(1) == ys[i:i + 1000]).sum().item() for i in range(0, len(ys), 1000))
            acc = correct / len(ys) if len(ys) else float("nan")
        model.train()
        return acc

    seconds = []
    for epoch in range(a.epochs):
        perm = torch.randperm(len(y))
        start = time.perf_counter()
        total = 0.0
        for i in range(0, len(y), a.batch):
            idx = perm[i:i + a.batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            schedule.step()
            total += loss.item()
        seconds.append(time.perf_counter() - start)
        print(f"pytorch epoch {epoch + 1}/{a.epochs} loss {total / ((len(y) + a.batch - 1) // a.batch):.4f} "
              f"val acc {accuracy(xv, yv):.4f} {seconds[-1]:.2f}s", flush=True, file=__import__("sys").stderr)
    print(json.dumps({"epoch_seconds": seconds, "val_accuracy": accuracy(xv, yv), "test_accuracy": accuracy(xt, yt)}))


if __name__ == "__main__":
    main()
