package io.ftpipe.zoo.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Models made by PyTorch's own exporter, in the test run: Debian's /usr/bin/python3 with
 * python3-torch and python3-torchvision runs src/test/resources/python/export_models.py once per
 * JVM into a temporary directory under target/. A machine without them fails the tests that
 * need them, saying what to install.
 */
final class PyTorchExports {
    static final String PYTHON = "/usr/bin/python3";
    private static Path dir;

    private PyTorchExports() {
    }

    /** The directory holding NAME.onnx and NAME.npz for resnet18, mobilenet_v2 and har (see the script). */
    static synchronized Path dir() throws Exception {
        if (dir == null) {
            Path d = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pytorch-exports");
            Path script = d.resolve("export_models.py");
            for (String file : new String[]{"export_models.py", "torch_models.py"}) {
                try (InputStream in = PyTorchExports.class.getResourceAsStream("/python/" + file)) {
                    Files.copy(in, d.resolve(file));
                }
            }
            run(d, PYTHON, "-c", "import torch, torchvision, numpy");
            run(d, PYTHON, script.toString(), d.toString());
            dir = d;
        }
        return dir;
    }

    private static void run(Path workDir, String... command) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: install Debian's python3, python3-torch and python3-torchvision");
        }
        Path log = workDir.resolve("python.log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 10 minutes");
        }
        if (p.exitValue() != 0) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            String hint = output.contains("No module named") ? " (install Debian's python3-torch, python3-torchvision "
                    + "and python3-numpy for " + PYTHON + ")" : "";
            fail(String.join(" ", command) + " failed" + hint + ":\n" + tail(output));
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
