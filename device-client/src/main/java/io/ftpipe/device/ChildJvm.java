package io.ftpipe.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A JVM started by a demo, a benchmark or a test, kept inside its work folder: it runs there, its
 * temporary files and its crash file ({@code hs_err_pid*.log}) go there, and nothing of it lands
 * in the folder it was started from (the repository, for a developer). ONNX Runtime unpacks its
 * native library into the temporary folder and deletes it at exit, which a SIGKILL skips: inside
 * the work folder, the copies go when it goes.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * {@code java [heap, tmpdir, error file] @argfile main args...} in {@code work}, with ONNX
     * Runtime's telemetry off (it crashes on long command lines; docs/design.md).
     */
    public static ProcessBuilder builder(Path work, String maxHeap, Path argfile, String main, List<String> args)
            throws IOException {
        return builder(work, maxHeap, argfile, main, args, UnaryOperator.identity());
    }

    /**
     * @param launcher how the java command is started, e.g. inside a network namespace and a CPU
     *                 group: it gets the whole command line and returns the one to run
     */
    public static ProcessBuilder builder(Path work, String maxHeap, Path argfile, String main, List<String> args,
                                         UnaryOperator<List<String>> launcher) throws IOException {
        Path dir = Files.createDirectories(work).toAbsolutePath();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + maxHeap, "-Djava.io.tmpdir=" + tmp, "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"),
                "@" + argfile.toAbsolutePath(), main));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(launcher.apply(command)).directory(dir.toFile());
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        return pb;
    }
}
