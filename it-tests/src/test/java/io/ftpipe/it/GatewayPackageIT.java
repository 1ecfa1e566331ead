package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The gateway package as an operator gets it: unpacked with tar, {@code bin/ftpipe-device}
 * started as a process of its own with the shipped example config and environment overrides,
 * against a real broker with the central node.
 */
class GatewayPackageIT {
    private static final Duration QUICK = Duration.ofSeconds(60);
    @TempDir
    static Path work;
    static DevicePackage pkg;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        pkg = DevicePackage.unpack(work.resolve("unpacked"));
        cluster = new Cluster(work.resolve("cluster"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void hasEveryPartWithTheModesAGatewayNeeds() {
        for (String file : List.of("bin/ftpipe-device", "install.sh")) {
            assertTrue(Files.isExecutable(pkg.home.resolve(file)), file + " is executable");
        }
        for (String file : List.of("lib/ftpipe-device.jar", "conf/device.json", "conf/README.md", "conf/device.env",
                "systemd/ftpipe-device.service")) {
            assertTrue(Files.isRegularFile(pkg.home.resolve(file)), file + " is in the package");
        }
    }

    /** The launcher's short command line works only if the manifest names exactly what lib/ holds. */
    @Test
    void deviceJarManifestNamesJarsThatAreInLib() throws Exception {
        Path lib = pkg.home.resolve("lib");
        try (JarFile jar = new JarFile(lib.resolve("ftpipe-device.jar").toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("io.ftpipe.device.DeviceMain", main.getValue(Attributes.Name.MAIN_CLASS));
            List<String> classPath = List.of(main.getValue(Attributes.Name.CLASS_PATH).split(" "));
            assertTrue(classPath.stream().anyMatch(j -> j.startsWith("onnxruntime-")), "Class-Path " + classPath);
            for (String entry : classPath) {
                assertTrue(Files.isRegularFile(lib.resolve(entry)), "Class-Path names " + entry + ", not in lib/");
            }
            try (Stream<Path> files = Files.list(lib)) {
                assertEquals(classPath.size() + 1, files.count(), "lib/ holds the device jar and its Class-Path");
            }
        }
    }

    /** One package for x86-64 and aarch64 gateways: ONNX Runtime's jar carries both natives. */
    @Test
    void onnxRuntimeJarCarriesLinuxX64AndAarch64Natives() throws Exception {
        Path onnx;
        try (Stream<Path> files = Files.list(pkg.home.resolve("lib"))) {
            onnx = files.filter(f -> f.getFileName().toString().startsWith("onnxruntime-")).findFirst().orElseThrow();
        }
        try (ZipFile jar = new ZipFile(onnx.toFile())) {
            for (String arch : List.of("linux-x64", "linux-aarch64")) {
                for (String lib : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so")) {
                    String entry = "ai/onnxruntime/native/" + arch + "/" + lib;
                    assertNotNull(jar.getEntry(entry), onnx.getFileName() + " has " + entry);
                }
            }
        }
    }

    @Test
    void helpExitsZeroAndListsTheSettings() throws Exception {
        DevicePackage.Ran help = DevicePackage.run(pkg.device("--help"), QUICK);
        assertEquals(0, help.exitCode(), help.toString());
        for (String expected : List.of("Usage: ftpipe-device", "FTPIPE_BROKER_URL", "FTPIPE_DEVICE_ID", "--config",
                "FTPIPE_JAVA_OPTS")) {
            assertTrue(help.output().contains(expected), expected + " in " + help);
        }
    }

    @Test
    void badConfigFileStopsWithAMessageNamingTheFile() throws Exception {
        Path bad = Files.writeString(work.resolve("broken-device.json"), "{\"id\": \"gw\",}");
        DevicePackage.Ran ran = DevicePackage.run(pkg.device("--config", bad.toString()), QUICK);
        assertNotEquals(0, ran.exitCode(), ran.toString());
        assertTrue(ran.output().contains(bad.toString()), "names the file: " + ran);
        assertTrue(ran.output().contains("not valid JSON"), ran.toString());
    }

    @Test
    void withoutJavaTheLauncherSaysWhatToDo() throws Exception {
        ProcessBuilder pb = pkg.device("--help");
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", Files.createDirectories(work.resolve("empty-path")).toString());
        DevicePackage.Ran ran = DevicePackage.run(pb, QUICK);
        assertEquals(1, ran.exitCode(), ran.toString());
        assertTrue(ran.output().contains("set JAVA_HOME to a Java 17 or newer"), ran.toString());

        pb = pkg.device("--help");
        pb.environment().put("JAVA_HOME", work.resolve("no-such-jdk").toString());
        ran = DevicePackage.run(pb, QUICK);
        assertEquals(1, ran.exitCode(), ran.toString());
        assertTrue(ran.output().contains("JAVA_HOME is '" + work.resolve("no-such-jdk") + "'"), ran.toString());
    }

    /**
     * The shipped device.json, with the broker and id from the environment as on a gateway's
     * device.env; then one small job through it, and SIGTERM (systemctl stop) ends the JVM itself:
     * the launcher exec's java, or the signal would stop only the shell.
     */
    @Test
    void deviceJoinsTrainsAJobAndStopsOnSigterm() throws Exception {
        ProcessBuilder pb = pkg.device("--config", pkg.home.resolve("conf/device.json").toString());
        pb.environment().put("FTPIPE_BROKER_URL", cluster.broker.serverUri());
        pb.environment().put("FTPIPE_DEVICE_ID", "gw-1");
        pb.environment().put("FTPIPE_HEARTBEAT_MS", "300");
        pb.environment().put("FTPIPE_STATE_DIR", work.resolve("state").toString());
        pb.environment().merge("FTPIPE_JAVA_OPTS", "-Xmx512m", (kept, heap) -> kept + " " + heap);
        Path log = work.resolve("gw-1.log");
        Process device = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(QUICK).until(() -> cluster.central().registry().alive(5000).contains("gw-1")
                    || !device.isAlive());
            assertTrue(device.isAlive(), "device exited:\n" + Files.readString(log));

            JobReport r = cluster.run(new JobSpec("gateway-mlp", "mlp", 1, "gpipe", 32, 2, 1,
                    OptimizerConfig.sgd(0.05, 0.9, 0), 3, 256, 0, JobSpec.SPEED_BLIND));
            assertEquals(List.of("gw-1"), r.stages().stream().map(JobReport.Stage::device).toList());
            JobReport.Epoch epoch = r.epochs().get(0);
            assertEquals(256, epoch.samples());
            assertTrue(Double.isFinite(epoch.trainLoss()), "train loss " + epoch.trainLoss());

            device.destroy();
            assertTrue(device.waitFor(20, TimeUnit.SECONDS), "SIGTERM did not stop the device");
            assertEquals(143, device.exitValue(), "the JVM's exit status after SIGTERM");
            await().atMost(QUICK).until(() -> !cluster.central().registry().alive(60_000).contains("gw-1"));
        } finally {
            device.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
