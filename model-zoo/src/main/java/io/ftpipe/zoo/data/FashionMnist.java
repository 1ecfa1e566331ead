package io.ftpipe.zoo.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the Fashion-MNIST training and test sets from a directory of IDX files. */
public final class FashionMnist {

    /** Where Debian's dataset-fashion-mnist package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    static final String INSTALL_FIX = "install it with: apt-get install dataset-fashion-mnist (or pass --data-dir)";

    private FashionMnist() {
    }

    /** The 60000 training samples. */
    public static Dataset train(Path dir) {
        return load(dir, "train");
    }

    /** The 10000 test samples. */
    public static Dataset test(Path dir) {
        return load(dir, "t10k");
    }

    /**
     * Fails as loading would if a file is missing, without reading any: for a caller that loads
     * in the background but must not wait long to report a missing data set.
     */
    /**
     * How these samples were normalised, in terms of raw pixels (0..255): what whoever runs the
     * trained model must do to its inputs.
     */
    public static final ChannelNormalization NORMALIZATION = ChannelNormalization.of(
            Normalization.MEAN * Normalization.PIXEL_SCALE, Normalization.STD * Normalization.PIXEL_SCALE);

    /** Whether {@code dir} holds IDX files as Fashion-MNIST ships them. */
    public static boolean looksLike(Path dir) {
        return Files.exists(dir.resolve("train-images-idx3-ubyte.gz")) || Files.exists(dir.resolve(
                "train-images-idx3-ubyte"));
    }

    public static void requirePresent(Path dir) {
        requireDirectory(dir);
        for (String split : new String[]{"train", "t10k"}) {
            locate(dir, split + "-images-idx3-ubyte");
            locate(dir, split + "-labels-idx1-ubyte");
        }
    }

    private static Dataset load(Path dir, String split) {
        requireDirectory(dir);
        Path imagesFile = locate(dir, split + "-images-idx3-ubyte");
        Path labelsFile = locate(dir, split + "-labels-idx1-ubyte");
        IdxReader.Images images = IdxReader.readImages(imagesFile);
        int[] labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw DataException.at(imagesFile, "holds " + images.count() + " images but " + labelsFile + " holds "
                    + labels.length + " labels", "the two files do not belong together: " + INSTALL_FIX);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= Dataset.CLASSES) {
                throw DataException.at(labelsFile, "label " + labels[i] + " at index " + i + " is outside 0.."
                        + (Dataset.CLASSES - 1) + ", so this is not Fashion-MNIST", INSTALL_FIX);
            }
        }
        return Dataset.images(Normalization.normalize(images.pixels()), labels, images.rows(), images.cols());
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw DataException.at(dir, "Fashion-MNIST directory not found", INSTALL_FIX);
        }
    }

    /** Prefers the distributed .gz but accepts a file someone has already decompressed. */
    private static Path locate(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        Path plain = dir.resolve(name);
        if (Files.exists(gz)) {
            return gz;
        }
        if (Files.exists(plain)) {
            return plain;
        }
        throw DataException.at(gz, "file not found (nor its decompressed form " + plain.getFileName() + ")",
                INSTALL_FIX);
    }
}
