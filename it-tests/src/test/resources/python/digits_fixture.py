"""A user's model and data, as a PyTorch user would bring them: a small CNN for scikit-learn's 8x8
digits exported to ONNX by torch.onnx.export (BatchNorm kept trainable), and the digits as an .npz
(x_train, y_train, x_test, y_test) and as CSV files (a 'label' column and 64 pixel columns).

usage: digits_fixture.py OUTDIR"""
import sys

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn


def main(out):
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 32), nn.ReLU(), nn.Linear(32, 10))
    model.train()
    torch.onnx.export(model, torch.randn(2, 1, 8, 8), out + "/digits-cnn.onnx", opset_version=17,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False,
                      input_names=["pixels"], output_names=["scores"],
                      dynamic_axes={"pixels": {0: "batch"}, "scores": {0: "batch"}})

    digits = load_digits()
    x = digits.images.astype(np.float32).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(0).permutation(len(y))
    x, y = x[order], y[order]
    cut = len(y) * 4 // 5
    np.savez(out + "/digits.npz", x_train=x[:cut], y_train=y[:cut], x_test=x[cut:], y_test=y[cut:])
    header = "label," + ",".join("p%d" % i for i in range(64))
    for name, xs, ys in (("train", x[:cut], y[:cut]), ("test", x[cut:], y[cut:])):
        rows = np.concatenate([ys.reshape(-1, 1).astype(np.float32), xs.reshape(len(ys), -1)], axis=1)
        np.savetxt(out + "/csv/" + name + ".csv", rows, delimiter=",", header=header, comments="",
                   fmt=["%d"] + ["%g"] * 64)


if __name__ == "__main__":
    import os
    os.makedirs(sys.argv[1] + "/csv", exist_ok=True)
    main(sys.argv[1])
