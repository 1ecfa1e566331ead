"""PyTorch's side of `ftpipe bench import`.

export OUTDIR NAME SEED            writes OUTDIR/NAME.onnx, exported by torch.onnx.export as a user
                                   would (training-preserving: BatchNorm stays trainable)
train NAME IDX_DIR LIMIT EPOCHS BATCH LR THREADS SEED ORDER_FILE
                                   trains NAME on the first LIMIT Fashion-MNIST training images
                                   (normalised as the project normalises them) with Adam and the
                                   same batch size and epochs, visiting them in the order the
                                   project's trainer does (ORDER_FILE: EPOCHS x LIMIT little-endian
                                   int32 indices), and prints its test accuracy as JSON
"""
import gzip
import json
import sys
import time

import numpy as np
import torch
from torch import nn

import torch_models

MEAN, STD = 0.2860, 0.3530


def export(out, name, seed):
    torch.manual_seed(int(seed))
    model, shape, _ = torch_models.build(name)
    model.train()
    torch.onnx.export(model, torch.randn(2, *shape), "%s/%s.onnx" % (out, name), opset_version=17,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def train(name, idx_dir, limit, epochs, batch, lr, threads, seed, order_file):
    limit, epochs, batch, threads = int(limit), int(epochs), int(batch), int(threads)
    torch.set_num_threads(threads)
    torch.manual_seed(int(seed))
    x = torch.tensor((idx(idx_dir + "/train-images-idx3-ubyte.gz")[:limit] / 255.0 - MEAN) / STD,
                     dtype=torch.float32).unsqueeze(1)
    y = torch.tensor(idx(idx_dir + "/train-labels-idx1-ubyte.gz")[:limit], dtype=torch.int64)
    tx = torch.tensor((idx(idx_dir + "/t10k-images-idx3-ubyte.gz") / 255.0 - MEAN) / STD,
                      dtype=torch.float32).unsqueeze(1)
    ty = torch.tensor(idx(idx_dir + "/t10k-labels-idx1-ubyte.gz"), dtype=torch.int64)
    # The same order as ours: with its own shuffle, one early epoch moves accuracy by points, which
    # would hide a real difference between the two trainings.
    orders = np.fromfile(order_file, dtype="<i4").reshape(epochs, limit)
    model, _, _ = torch_models.build(name)
    adam = torch.optim.Adam(model.parameters(), lr=float(lr))
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        order = torch.from_numpy(orders[epoch].astype(np.int64))
        for b in range(0, len(y), batch):
            pick = order[b:b + batch]
            adam.zero_grad(set_to_none=True)
            loss_fn(model(x[pick]), y[pick]).backward()
            adam.step()
    seconds = time.perf_counter() - start
    model.eval()
    correct = 0
    with torch.no_grad():
        for b in range(0, len(ty), 500):
            correct += (model(tx[b:b + 500]).argmax(1) == ty[b:b + 500]).sum().item()
    print(json.dumps({"model": name, "test_accuracy": correct / len(ty), "train_seconds": seconds,
                      "torch_version": torch.__version__}))


if __name__ == "__main__":
    {"export": export, "train": train}[sys.argv[1]](*sys.argv[2:])
