"""Models nobody here wrote, as a PyTorch user brings them: torchvision's resnet18 and mobilenet_v2
(1-channel stem, 10 classes, 28x28) and a HAR-style 1-D CNN, each exported by torch.onnx.export as
`ftpipe bench import` exports them (BatchNorm kept trainable), with a small data set of its input
shape as an .npz (x_train, y_train, x_test, y_test): Fashion-MNIST images for the 28x28 models,
sine windows whose frequency is the class for the HAR network.

usage: torch_models_fixture.py OUTDIR FASHION_MNIST_DIR TRAIN TEST"""
import sys

import numpy as np

import torch_models
from pytorch_import_bench import export, idx


def fashion(src, train, test):
    x = idx(src + "/train-images-idx3-ubyte.gz")[:train + test].astype(np.float32).reshape(-1, 1, 28, 28) / 255
    y = idx(src + "/train-labels-idx1-ubyte.gz")[:train + test].astype(np.int64)
    return x[:train], y[:train], x[train:], y[train:]


def windows(train, test, classes):
    rng = np.random.RandomState(0)
    y = rng.randint(0, classes, train + test).astype(np.int64)
    t = np.arange(128, dtype=np.float32) / 128
    phase = rng.uniform(0, 2 * np.pi, (train + test, 9, 1))
    x = np.sin(2 * np.pi * (y.reshape(-1, 1, 1) + 1) * 2 * t + phase) + 0.3 * rng.randn(train + test, 9, 128)
    x = x.astype(np.float32)
    return x[:train], y[:train], x[train:], y[train:]


def main(out, src, train, test):
    for name in ("resnet18", "mobilenet_v2", "har"):
        export(out, name, 0)
        classes = torch_models.build(name)[2]
        data = windows(train, test, classes) if name == "har" else fashion(src, train, test)
        np.savez("%s/%s.npz" % (out, name), x_train=data[0], y_train=data[1], x_test=data[2], y_test=data[3])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
