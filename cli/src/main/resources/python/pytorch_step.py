"""Times PyTorch's training step (forward, backward, Adam) and evaluation forward of one model on
one batch, as the Java side times ours: medians of N runs after W warm-up runs, on T threads.

usage: pytorch_step.py MODEL BATCH THREADS ITERATIONS WARMUP
MODEL: a zoo model (mlp, cnn, mobilenetv2) or an imported one (resnet18, mobilenet_v2, har, ...).
Prints one JSON object."""
import json
import os
import statistics
import sys
import time

import torch
from torch import nn

import torch_models


def timed(fn, iterations, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))]


def blas_library():
    """The BLAS Debian's alternatives give PyTorch: the reference one is many times slower than OpenBLAS."""
    with open("/proc/self/maps") as maps:
        libraries = {line.split()[-1] for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")}
    return sorted(os.path.realpath(path) for path in libraries)


def main():
    name, batch, threads, iterations, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), \
        int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model, shape, classes = torch_models.build(name)
    x = torch.randn(batch, *shape)
    y = torch.randint(0, classes, (batch,))
    loss_fn = nn.CrossEntropyLoss()
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        adam.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        adam.step()

    def forward():
        with torch.no_grad():
            model(x)

    model.train()
    train_median, train_p90 = timed(step, iterations, warmup)
    model.eval()
    eval_median, eval_p90 = timed(forward, iterations, warmup)
    print(json.dumps({"model": name, "batch_size": batch, "threads": threads, "iterations": iterations,
                      "torch_version": torch.__version__, "blas": blas_library(),
                      "train_step_ms": train_median, "train_step_p90_ms": train_p90,
                      "eval_forward_ms": eval_median, "eval_forward_p90_ms": eval_p90}))


if __name__ == "__main__":
    main()
