package io.ftpipe.zoo.model;

import io.ftpipe.zoo.layer.Layer;

/** A partition unit: the smallest piece of a model that a stage boundary cannot cut. */
public record Unit(String name, Layer layer) {
}
