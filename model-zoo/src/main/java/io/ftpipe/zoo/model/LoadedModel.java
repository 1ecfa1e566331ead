package io.ftpipe.zoo.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ftpipe.zoo.data.ChannelNormalization;
import io.ftpipe.zoo.export.ImportedModelExporter;
import io.ftpipe.zoo.export.InferenceExporter;
import io.ftpipe.zoo.importer.ImportOptions;
import io.ftpipe.zoo.importer.OnnxImporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A model as a user names it: a zoo model by its name, or an ONNX file (exported by PyTorch) to
 * import. Written back after training as the user expects it: an imported model as the user's own
 * graph with the trained weights, a zoo model as a plain inference model; either records how its
 * inputs were normalised.
 *
 * @param original the imported file's graph, null for a zoo model
 */
public record LoadedModel(Model model, ModelProto original) {
    /** Metadata key of the exported model: how inputs must be normalised before they go in. */
    public static final String NORMALIZATION_KEY = "ftpipe.normalization";

    /**
     * @throws IllegalArgumentException  for a name that is neither a zoo model nor an ONNX file
     * @throws io.ftpipe.zoo.importer.ImportException for a file that cannot be imported (it says why)
     */
    public static LoadedModel load(String nameOrFile, ImportOptions options) {
        if (ModelZoo.NAMES.contains(nameOrFile)) {
            return new LoadedModel(ModelZoo.create(nameOrFile), null);
        }
        Path file = Path.of(nameOrFile);
        if (!isOnnxFile(nameOrFile) || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("unknown model '" + nameOrFile + "': neither a zoo model ("
                    + String.join(", ", ModelZoo.NAMES) + ") nor an .onnx file" + (isOnnxFile(nameOrFile)
                    && !Files.exists(file) ? " (no such file)" : ""));
        }
        ModelProto proto = OnnxImporter.parse(file);
        return new LoadedModel(OnnxImporter.fromProto(nameOf(file, proto), proto, options), proto);
    }

    /** Whether a model name is a path to an ONNX file rather than a zoo model's name. */
    public static boolean isOnnxFile(String nameOrFile) {
        return nameOrFile.toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    public boolean imported() {
        return original != null;
    }

    /** The trained model, with the normalisation its inputs need recorded, written atomically. */
    public void export(Map<String, float[]> weights, ChannelNormalization normalization, Path file)
            throws IOException {
        ModelProto trained;
        try {
            trained = imported() ? ImportedModelExporter.toOnnx(original, weights)
                    : ModelProto.parseFrom(InferenceExporter.toOnnx(model, weights));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the exporter wrote an unreadable model", e);
        }
        ModelProto.Builder b = trained.toBuilder();
        for (int i = b.getMetadataPropsCount() - 1; i >= 0; i--) {
            if (b.getMetadataProps(i).getKey().equals(NORMALIZATION_KEY)) {
                b.removeMetadataProps(i);
            }
        }
        b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(NORMALIZATION_KEY)
                .setValue(normalization.describe()));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.write(tmp, b.build().toByteArray());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The file's name with a digest of its graph: two different files of one name must not share
     * the central node's cached unit profile.
     */
    private static String nameOf(Path file, ModelProto proto) {
        String base = file.getFileName().toString().replaceAll("(?i)\\.onnx$", "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(proto.getGraph().toByteArray());
            return base + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
