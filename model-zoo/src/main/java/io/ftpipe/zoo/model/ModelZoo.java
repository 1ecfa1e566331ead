package io.ftpipe.zoo.model;

import io.ftpipe.zoo.layer.BatchNorm2d;
import io.ftpipe.zoo.layer.Conv2d;
import io.ftpipe.zoo.layer.Flatten;
import io.ftpipe.zoo.layer.GlobalAvgPool;
import io.ftpipe.zoo.layer.Layer;
import io.ftpipe.zoo.layer.Linear;
import io.ftpipe.zoo.layer.MaxPool2d;
import io.ftpipe.zoo.layer.ReLU;
import io.ftpipe.zoo.layer.Residual;
import io.ftpipe.zoo.layer.Sequential;

import java.util.ArrayList;
import java.util.List;

/** The models this project trains, all for 28x28 grayscale images in 10 classes. */
public final class ModelZoo {
    public static final List<String> NAMES = List.of("mlp", "cnn", "mobilenetv2");
    private static final long[] IMAGE = {1, 28, 28};

    private ModelZoo() {
    }

    public static Model create(String name) {
        return switch (name) {
            case "mlp" -> mlp();
            case "cnn" -> cnn();
            case "mobilenetv2" -> mobileNetV2();
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known models: "
                    + String.join(", ", NAMES));
        };
    }

    /** 784-512-256-10; a unit per fully connected layer with its activation. */
    public static Model mlp() {
        return new Model("mlp", IMAGE, 10, List.of(
                new Unit("fc1", Sequential.of(new Flatten(), new Linear(784, 512), ReLU.relu())),
                new Unit("fc2", Sequential.of(new Linear(512, 256), ReLU.relu())),
                new Unit("fc3", new Linear(256, 10))));
    }

    /**
     * LeNet-style: two 5x5 convolutions with pooling, two fully connected layers. Pooling comes
     * before ReLU (they commute: the same function), so the ReLU and its mask see a quarter of the
     * elements.
     */
    public static Model cnn() {
        return new Model("cnn", IMAGE, 10, List.of(
                new Unit("conv1", Conv2d.of(1, 16, 5, 1, 2)),
                new Unit("pool1", Sequential.of(new MaxPool2d(2, 2), ReLU.relu())),
                new Unit("conv2", Conv2d.of(16, 32, 5, 1, 2)),
                new Unit("pool2", Sequential.of(new MaxPool2d(2, 2), ReLU.relu())),
                new Unit("fc1", Sequential.of(new Flatten(), new Linear(32 * 7 * 7, 128), ReLU.relu())),
                new Unit("fc2", new Linear(128, 10))));
    }

    /**
     * MobileNetV2 reduced for 28x28 grayscale: a stride-1 stem (the images are small), inverted
     * residual blocks (expand 1x1, depthwise 3x3, project 1x1, BatchNorm, ReLU6) down to 7x7, a 1x1
     * head, global average pooling and a classifier. Each block is one partition unit.
     */
    public static Model mobileNetV2() {
        List<Unit> units = new ArrayList<>();
        units.add(new Unit("stem", convBnRelu6(1, 16, 3, 1)));
        int[][] blocks = { // expansion, out channels, repeats, first stride
                {1, 8, 1, 1}, {6, 16, 2, 2}, {6, 24, 2, 2}, {6, 32, 2, 1}};
        int channels = 16;
        for (int[] b : blocks) {
            for (int r = 0; r < b[2]; r++) {
                int stride = r == 0 ? b[3] : 1;
                units.add(new Unit("block" + units.size(), invertedResidual(channels, b[1], stride, b[0])));
                channels = b[1];
            }
        }
        units.add(new Unit("head", convBnRelu6(channels, 128, 1, 1)));
        units.add(new Unit("classifier", Sequential.of(new GlobalAvgPool(), new Linear(128, 10))));
        return new Model("mobilenetv2", IMAGE, 10, units);
    }

    private static Layer convBnRelu6(int in, int out, int kernel, int stride) {
        return Sequential.of(new Conv2d(in, out, kernel, stride, kernel / 2, 1, false), BatchNorm2d.of(out),
                ReLU.relu6());
    }

    private static Layer invertedResidual(int in, int out, int stride, int expansion) {
        int hidden = in * expansion;
        List<Layer> layers = new ArrayList<>();
        if (expansion != 1) {
            layers.addAll(List.of(Conv2d.pointwise(in, hidden), BatchNorm2d.of(hidden), ReLU.relu6()));
        }
        layers.addAll(List.of(Conv2d.depthwise(hidden, 3, stride, 1), BatchNorm2d.of(hidden), ReLU.relu6(),
                Conv2d.pointwise(hidden, out), BatchNorm2d.of(out)));
        Layer body = new Sequential(layers);
        return stride == 1 && in == out ? new Residual(body) : body;
    }
}
