package io.ftpipe.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The package's install.sh, into a temporary root (--destdir) and as a dry run, never into this
 * machine's own /opt, /etc or systemd: files land where the unit expects them, and a second run
 * replaces the program but keeps the operator's configuration.
 */
class GatewayInstallIT {
    private static final Duration QUICK = Duration.ofSeconds(60);
    @TempDir
    static Path work;
    static DevicePackage pkg;

    @BeforeAll
    static void unpack() throws Exception {
        pkg = DevicePackage.unpack(work.resolve("unpacked"));
    }

    private static DevicePackage.Ran install(String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of(pkg.home.resolve("install.sh").toString()), Stream.of(args))
                .toList();
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DESTDIR");
        return DevicePackage.run(pb, QUICK);
    }

    @Test
    void installsIntoDestdirAndKeepsTheConfigOnASecondRun() throws Exception {
        Path root = work.resolve("root");
        DevicePackage.Ran first = install("--destdir", root.toString());
        assertEquals(0, first.exitCode(), first.toString());

        Path opt = root.resolve("opt/ftpipe-device");
        assertTrue(Files.isExecutable(opt.resolve("bin/ftpipe-device")), first.toString());
        assertTrue(Files.isRegularFile(opt.resolve("lib/ftpipe-device.jar")));
        Path config = root.resolve("etc/ftpipe/device.json");
        assertEquals(Files.readString(pkg.home.resolve("conf/device.json")), Files.readString(config));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)),
                "the config may hold a password");
        assertTrue(Files.isRegularFile(root.resolve("etc/ftpipe/device.env")));
        assertTrue(Files.isDirectory(root.resolve("var/lib/ftpipe")));
        Path unit = root.resolve("etc/systemd/system/ftpipe-device.service");
        assertEquals(Files.readString(pkg.home.resolve("systemd/ftpipe-device.service")), Files.readString(unit));

        // What the unit starts and reads is where install.sh put it.
        String execStart = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).findFirst()
                .orElseThrow().substring("ExecStart=".length());
        String[] words = execStart.split(" ");
        assertTrue(Files.isExecutable(root.resolve(words[0].substring(1))), execStart);
        assertEquals("--config", words[1]);
        assertEquals(config, root.resolve(words[2].substring(1)));

        // The installed copy runs.
        ProcessBuilder help = new ProcessBuilder(opt.resolve("bin/ftpipe-device").toString(), "--help");
        help.environment().put("JAVA_HOME", System.getProperty("java.home"));
        DevicePackage.Ran ran = DevicePackage.run(help, QUICK);
        assertEquals(0, ran.exitCode(), ran.toString());

        // An operator's edit and a jar of an older version; then the same install again.
        String edited = "{\"id\": \"gateway-7\", \"brokerUrl\": \"tcp://central.lan:1883\"}\n";
        Files.writeString(config, edited);
        Files.writeString(opt.resolve("lib/old-dependency-0.9.jar"), "stale");
        DevicePackage.Ran second = install("--destdir", root.toString());
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(edited, Files.readString(config), "the operator's config survives a reinstall");
        assertTrue(second.output().contains("keeping " + config), second.toString());
        assertFalse(Files.exists(opt.resolve("lib/old-dependency-0.9.jar")), "lib/ is replaced as a whole");
        assertTrue(Files.isRegularFile(opt.resolve("lib/ftpipe-device.jar")));
    }

    @Test
    void dryRunChangesNothingAndSaysWhatItWouldDo() throws Exception {
        Path root = work.resolve("dry");
        DevicePackage.Ran ran = install("--dry-run", "--destdir", root.toString());
        assertEquals(0, ran.exitCode(), ran.toString());
        assertFalse(Files.exists(root), "a dry run creates nothing");
        for (String expected : List.of(root + "/opt/ftpipe-device", root + "/etc/ftpipe/device.json",
                root + "/etc/systemd/system/ftpipe-device.service", "nothing was changed")) {
            assertTrue(ran.output().contains(expected), expected + " in " + ran);
        }
    }

    @Test
    void unknownOptionIsRefused() throws Exception {
        DevicePackage.Ran ran = install("--prefix", "/usr/local");
        assertEquals(1, ran.exitCode(), ran.toString());
        assertTrue(ran.output().contains("unknown option '--prefix'"), ran.toString());
    }
}
