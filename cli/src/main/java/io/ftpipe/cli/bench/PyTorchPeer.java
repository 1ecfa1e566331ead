package io.ftpipe.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch on this machine, as the framework a user would pick instead: Debian's
 * {@code python3-torch} run by Debian's Python on the scripts shipped in this jar. Needs
 * {@code libopenblas0-pthread}: with Debian's reference BLAS PyTorch's matrix products are many
 * times slower, and a comparison against them would flatter us.
 */
public final class PyTorchPeer {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final List<String> SCRIPTS = List.of("torch_models.py", "pytorch_step.py", "pytorch_import_bench.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private PyTorchPeer(Path dir) {
        this.dir = dir;
    }

    /**
     * The scripts unpacked into {@code work}, after checking that PyTorch and OpenBLAS are there.
     *
     * @throws IOException with one line saying what to install
     */
    public static PyTorchPeer in(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("pytorch"));
        for (String script : SCRIPTS) {
            try (InputStream in = PyTorchPeer.class.getResourceAsStream("/python/" + script)) {
                Files.copy(in, dir.resolve(script), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        PyTorchPeer peer = new PyTorchPeer(dir);
        String check = peer.run(List.of("-c", "import torch, os; print(os.path.realpath("
                + "'/usr/lib/x86_64-linux-gnu/libblas.so.3'))"), "PyTorch");
        if (!check.contains("openblas")) {
            throw new IOException("PyTorch would run on the reference BLAS (" + check.strip() + "), many times slower "
                    + "than OpenBLAS: apt-get install libopenblas0-pthread");
        }
        return peer;
    }

    /** PyTorch's training step and evaluation forward of zoo model {@code model}, as pytorch_step.py times them. */
    public JsonNode step(String model, int batch, int threads, int iterations, int warmup) throws IOException {
        return JSON.readTree(run(List.of(dir.resolve("pytorch_step.py").toString(), model, String.valueOf(batch),
                String.valueOf(threads), String.valueOf(iterations), String.valueOf(warmup)), model + " in PyTorch"));
    }

    /** Exports PyTorch model {@code model} (seeded) to an ONNX file, as a user would; returns the file. */
    public Path export(String model, long seed) throws IOException {
        run(List.of(dir.resolve("pytorch_import_bench.py").toString(), "export", dir.toString(), model,
                String.valueOf(seed)), "exporting " + model + " from PyTorch");
        return dir.resolve(model + ".onnx");
    }

    /**
     * PyTorch trains {@code model} on the first {@code samples} Fashion-MNIST images in {@code idxDir},
     * each epoch in the order {@code orders} gives (epochs x samples indices).
     */
    public JsonNode train(String model, Path idxDir, int samples, int[][] orders, int batch, double lr, int threads,
                          long seed) throws IOException {
        Path orderFile = dir.resolve("order.i32");
        ByteBuffer bytes = ByteBuffer.allocate(orders.length * samples * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] epoch : orders) {
            bytes.asIntBuffer().put(epoch);
            bytes.position(bytes.position() + epoch.length * Integer.BYTES);
        }
        Files.write(orderFile, bytes.array());
        return JSON.readTree(run(List.of(dir.resolve("pytorch_import_bench.py").toString(), "train", model,
                idxDir.toString(), String.valueOf(samples), String.valueOf(orders.length), String.valueOf(batch),
                String.valueOf(lr), String.valueOf(threads), String.valueOf(seed), orderFile.toString()),
                "training " + model + " in PyTorch"));
    }

    private String run(List<String> args, String what) throws IOException {
        if (!Files.isExecutable(PYTHON)) {
            throw new IOException("Debian's Python is missing: apt-get install python3-torch libopenblas0-pthread");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
        command.addAll(args);
        Path log = dir.resolve("stderr.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(30, TimeUnit.MINUTES);
            String err = Files.readString(log);
            if (p.isAlive() || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(what + " failed" + (err.contains("No module named 'torch'")
                        ? ": PyTorch is not installed: apt-get install python3-torch libopenblas0-pthread"
                        : ": " + err.strip().lines().reduce((a, b) -> b).orElse("exit " + p.exitValue())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        }
        return out;
    }
}
