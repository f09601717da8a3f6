#!/usr/bin/python3
"""Trains a Fashion-MNIST MLP or CNN in PyTorch and exports it to ONNX, for `edgeml import`'s accuracy
target (docs/import.md): edgeml's float accuracy on the imported model must equal PyTorch's here.

Needs Debian's python3-torch (1.13) and python3-onnx. One thread. x = p/255, NCHW [1, 1, 28, 28] input.
  /usr/bin/python3 bench/train_for_import.py --arch mlp --epochs 10 --out mlp.onnx
  /usr/bin/python3 bench/train_for_import.py --arch cnn --epochs 5 --out cnn.onnx
Prints one JSON line: arch, epochs, seconds, test_accuracy (PyTorch float, 10,000 test images), out.
"""
import argparse
import gzip
import json
import time

import numpy as np
import onnx
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, prefix):
    x = read_idx(f"{data_dir}/{prefix}-images-idx3-ubyte.gz").reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    y = read_idx(f"{data_dir}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def model_for(arch):
    if arch == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    # conv 3x3x32 (same), ReLU, max pool 2, conv 3x3x64 (same), ReLU, max pool 2, dense 128, dropout, dense 10
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    x, y = load(a.data, "train")
    xt, yt = load(a.data, "t10k")
    model = model_for(a.arch)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for _ in range(a.epochs):
        model.train()
        order = torch.randperm(len(y))
        for i in range(0, len(y), a.batch):
            idx = order[i:i + a.batch]
            opt.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
    seconds = time.time() - start
    model.eval()
    with torch.no_grad():
        correct = sum(int((model(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum()) for i in range(0, len(yt), 1000))
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), a.out, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    onnx.checker.check_model(onnx.load(a.out))
    print(json.dumps({"arch": a.arch, "epochs": a.epochs, "seconds": round(seconds, 1),
                      "test_accuracy": correct / len(yt), "out": a.out}))


if __name__ == "__main__":
    main()
