"""Exports PyTorch models with torch.onnx.export and writes PyTorch's own reference results.

Usage: export_models.py OUT_DIR

For each model NAME (resnet18, mobilenet_v2, mobilenet_v3, har) it writes NAME.onnx (a
training-preserving export: BatchNormalization and Dropout nodes survive) and NAME.npz with:
  x, labels        a batch
  eval_logits      PyTorch's logits in eval mode (running statistics, no dropout)
  loss             mean cross-entropy in train mode (batch statistics), dropout disabled
  grad/<param>     d loss / d param for every parameter, named like the ONNX initializers
  running/<buffer> BatchNorm running statistics after that one train-mode forward
It also writes har-opset<N>-<dynamic|fixed>.onnx for N in 13..17 (same weights as har.onnx) and
har-folded.onnx, an eval-mode export with default options, in which BatchNorm is folded away.
"""
import copy
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from torch_models import har, mobilenet_v2, mobilenet_v3, resnet18


def randomize_batchnorm(model):
    """Scales and shifts away from 1 and 0, and running statistics from a few batches, so that
    evaluation mode differs visibly from training mode."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.2)


def export(model, sample, path, opset, dynamic):
    model.train()
    torch.onnx.export(model, sample, path, opset_version=opset, training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}} if dynamic else None)


def references(model, x, labels):
    out = {"x": x.numpy(), "labels": labels.numpy()}
    model.eval()
    with torch.no_grad():
        out["eval_logits"] = model(x).numpy()
    model.train()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.eval()
    model.zero_grad()
    loss = F.cross_entropy(model(x), labels)
    loss.backward()
    out["loss"] = np.array(loss.item(), dtype=np.float32)
    for name, p in model.named_parameters():
        out["grad/" + name] = p.grad.numpy()
    for name, b in model.named_buffers():
        if name.endswith("running_mean") or name.endswith("running_var"):
            out["running/" + name] = b.numpy().copy()
    return out


def main(out_dir):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cases = {"resnet18": (resnet18, 13, False, 8), "mobilenet_v2": (mobilenet_v2, 17, True, 8),
             "mobilenet_v3": (mobilenet_v3, 16, True, 8), "har": (har, 15, True, 16)}
    for name, (build, opset, dynamic, batch) in cases.items():
        model, shape = build()
        randomize_batchnorm(model)
        model.train()
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn(batch, *shape))
        sample = torch.randn(batch, *shape)
        if name == "har":
            # Every export traces one train-mode forward, which moves the running statistics:
            # each variant starts from the same state, so all files hold the same weights.
            start = copy.deepcopy(model.state_dict())
            for variant_opset in range(13, 18):
                for variant_dynamic in (True, False):
                    model.load_state_dict(start)
                    kind = "dynamic" if variant_dynamic else "fixed"
                    export(model, sample, f"{out_dir}/har-opset{variant_opset}-{kind}.onnx", variant_opset,
                           variant_dynamic)
            folded = copy.deepcopy(model).eval()
            torch.onnx.export(folded, sample, f"{out_dir}/har-folded.onnx", opset_version=13)
            model.load_state_dict(start)
        export(model, sample, f"{out_dir}/{name}.onnx", opset, dynamic)
        x = torch.randn(batch, *shape)
        labels = torch.randint(0, 10 if name != "har" else 6, (batch,))
        np.savez(f"{out_dir}/{name}.npz", **references(model, x, labels))


if __name__ == "__main__":
    main(sys.argv[1])
