package io.ftpipe.device;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Starts a device client as a separate JVM with this JVM's classpath, for demos and tests. The
 * classpath goes through a java {@code @argfile}: ONNX Runtime crashes when the process command
 * line is long (docs/design.md), and an argfile keeps it short. The JVM runs in {@code workDir}
 * ({@link ChildJvm}).
 */
public final class DeviceProcess {
    private DeviceProcess() {
    }

    /**
     * @param flags  device flags, e.g. {@code --id d1 --broker-url tcp://127.0.0.1:1883}
     * @param workDir where the argfile and the device's log go; a device started again under the
     *                same id appends to its log, so what its earlier life said (before a kill) stays
     */
    public static Process start(String id, Map<String, String> flags, Path workDir) throws IOException {
        return start(id, flags, workDir, UnaryOperator.identity());
    }

    /** @param launcher how the java command is started (e.g. on a testbed host), see {@link ChildJvm} */
    public static Process start(String id, Map<String, String> flags, Path workDir,
                                UnaryOperator<List<String>> launcher) throws IOException {
        Files.createDirectories(workDir);
        Path argfile = workDir.resolve("device-classpath.args");
        // Written afresh every time: a work folder kept from a run of another build, or started
        // from another folder, must not start devices with that run's classpath.
        Path written = Files.createTempFile(workDir, "device-classpath", ".tmp");
        Files.writeString(written, "-cp \"" + absoluteClasspath().replace("\\", "\\\\") + "\"\n");
        Files.move(written, argfile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        List<String> args = new ArrayList<>(List.of("--id", id));
        flags.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return ChildJvm.builder(workDir, "1g", argfile, DeviceMain.class.getName(), args, launcher)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(id + ".log").toFile())).start();
    }

    private static String absoluteClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }
}
