"""PyTorch's side of every model this project trains: the zoo's models written layer for layer as
model-zoo's ModelZoo builds them, and the models nobody here wrote (torchvision's, adapted to one
input channel and 10 classes, and a HAR 1-D CNN) that the importer is tested and benchmarked on.
Each builder returns a module; IMPORTED's return it with its per-sample input shape."""
import torch.nn.functional as F
import torchvision
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


class Har(nn.Module):
    """A 1-D CNN over windows of 9 sensor channels and 128 steps, 6 activities."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(9, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(64, 64, 3, padding=1), nn.BatchNorm1d(64), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.dropout = nn.Dropout(0.5)
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 6, bias=False)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.fc2(F.relu(self.fc1(self.dropout(x))))


def resnet18():
    m = torchvision.models.resnet18(num_classes=10)
    m.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    return m, (1, 28, 28)


def mobilenet_v2():
    m = torchvision.models.mobilenet_v2(num_classes=10)
    m.features[0][0] = nn.Conv2d(1, 32, 3, 1, 1, bias=False)
    return m, (1, 28, 28)


def mobilenet_v3():
    m = torchvision.models.mobilenet_v3_small(num_classes=10)
    m.features[0][0] = nn.Conv2d(1, 16, 3, 2, 1, bias=False)
    return m, (1, 28, 28)


def har():
    return Har(), (9, 128)


IMPORTED = {"resnet18": resnet18, "mobilenet_v2": mobilenet_v2, "mobilenet_v3": mobilenet_v3, "har": har}


def build(name):
    """A model by name, its per-sample input shape and its number of classes."""
    if name in ZOO:
        return ZOO[name](), (1, 28, 28), 10
    model, shape = IMPORTED[name]()
    return model, shape, 6 if name == "har" else 10
