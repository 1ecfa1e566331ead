"""The zoo's models written in PyTorch, layer for layer as model-zoo's ModelZoo builds them, so that
a training step can be timed in both frameworks on the same machine."""
import torch
from torch import nn


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                         nn.Linear(256, 10))


def cnn():
    # Pooling before ReLU, as the zoo has it (they commute).
    return nn.Sequential(nn.Conv2d(1, 16, 5, 1, 2), nn.MaxPool2d(2, 2), nn.ReLU(),
                         nn.Conv2d(16, 32, 5, 1, 2), nn.MaxPool2d(2, 2), nn.ReLU(),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def _conv_bn_relu6(cin, cout, kernel, stride):
    return [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU6()]


class _InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        layers = []
        if expansion != 1:
            layers += [nn.Conv2d(cin, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6()]
        layers += [nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False), nn.BatchNorm2d(hidden),
                   nn.ReLU6(), nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return y + x if self.residual else y


def mobilenetv2():
    layers = _conv_bn_relu6(1, 16, 3, 1)
    channels = 16
    for expansion, out, repeats, stride in [(1, 8, 1, 1), (6, 16, 2, 2), (6, 24, 2, 2), (6, 32, 2, 1)]:
        for r in range(repeats):
            layers.append(_InvertedResidual(channels, out, stride if r == 0 else 1, expansion))
            channels = out
    layers += _conv_bn_relu6(channels, 128, 1, 1)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10)]
    return nn.Sequential(*layers)


ZOO = {"mlp": mlp, "cnn": cnn, "mobilenetv2": mobilenetv2}
