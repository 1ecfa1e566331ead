package io.ftpipe.broker.configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the models and data sets that remote clients may name live on the central node: a job
 * submitted over the management API names a file under one of these folders, never a path of its
 * own, so whoever can submit a job cannot make the central node read anything else it can reach.
 *
 * @param modelsDir   ONNX models a job may name as {@code model}
 * @param datasetsDir data sets (files or folders) a job may name as {@code data}
 */
public record UserFiles(Path modelsDir, Path datasetsDir) {
    public static final String MODELS_DIR = "modelsDir";
    public static final String DATASETS_DIR = "datasetsDir";
    public static final String DEFAULT_MODELS_DIR = "models";
    public static final String DEFAULT_DATASETS_DIR = "datasets";

    public UserFiles {
        Objects.requireNonNull(modelsDir, MODELS_DIR);
        Objects.requireNonNull(datasetsDir, DATASETS_DIR);
        if (!modelsDir.isAbsolute() || !datasetsDir.isAbsolute()) {
            throw new IllegalArgumentException(MODELS_DIR + " and " + DATASETS_DIR + " must be absolute paths, got '"
                    + modelsDir + "' and '" + datasetsDir + "'");
        }
        modelsDir = modelsDir.normalize();
        datasetsDir = datasetsDir.normalize();
    }

    /** The default folders beside the central node's {@code dataDir} (in a drop-in: the extension's home). */
    public static UserFiles beside(Path dataDir) {
        Path home = dataDir.toAbsolutePath().getParent();
        return new UserFiles(home.resolve(DEFAULT_MODELS_DIR), home.resolve(DEFAULT_DATASETS_DIR));
    }

    /** @throws IllegalArgumentException naming {@code key} if {@code name} is not a model file under {@link #modelsDir} */
    public Path model(String key, String name) {
        return inside(key, MODELS_DIR, modelsDir, name);
    }

    /** @throws IllegalArgumentException naming {@code key} if {@code name} is not under {@link #datasetsDir} */
    public Path data(String key, String name) {
        return inside(key, DATASETS_DIR, datasetsDir, name);
    }

    /**
     * The real path of {@code name} under {@code root}. Checked on the real paths, after links are
     * followed, as a link inside the folder may point anywhere; the words of a refusal name the
     * configuration key, not the folder, as the client need not know the central node's layout.
     */
    private static Path inside(String key, String rootKey, Path root, String name) {
        String where = "a file under the central node's " + rootKey;
        Path relative;
        try {
            relative = Path.of(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + " must name " + where + ", got '" + name + "'");
        }
        if (name.isBlank() || relative.isAbsolute()) {
            throw new IllegalArgumentException(key + " must name " + where + " by a relative path, got '" + name + "'");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw new IllegalArgumentException(key + " must name " + where + " without '..', got '" + name + "'");
            }
        }
        Path real;
        Path realRoot;
        try {
            realRoot = root.toRealPath();
            real = root.resolve(relative).toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": no '" + name + "' in the central node's " + rootKey);
        }
        if (real.equals(realRoot)) {
            throw new IllegalArgumentException(key + " must name " + where + ", not the folder itself");
        }
        if (!real.startsWith(realRoot)) {
            throw new IllegalArgumentException(key + ": '" + name + "' links out of the central node's " + rootKey);
        }
        if (!Files.isReadable(real)) {
            throw new IllegalArgumentException(key + ": '" + name + "' in the central node's " + rootKey
                    + " is not readable");
        }
        return real;
    }
}
