package io.ftpipe.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JVM that crashes leaves its crash file, and its temporary files, in its own work folder. */
class ChildJvmTest {
    @TempDir
    Path work;

    /** Prints where its temporary files go and where it runs, then dies of a segmentation fault. */
    public static final class Crash {
        public static void main(String[] args) throws Exception {
            System.out.println(System.getProperty("java.io.tmpdir"));
            System.out.println(Path.of("").toAbsolutePath());
            System.out.flush();
            Class<?> unsafe = Class.forName("sun.misc.Unsafe");
            Field f = unsafe.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe.getMethod("putAddress", long.class, long.class).invoke(f.get(null), 0L, 0L);
        }
    }

    @Test
    void aCrashFileLandsInTheWorkFolder() throws Exception {
        Path argfile = Files.writeString(work.resolve("classpath.args"),
                "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        Process p = ChildJvm.builder(work.resolve("child"), "64m", argfile, Crash.class.getName(), List.of())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertNotEquals(0, p.exitValue(), out);
        Path child = work.resolve("child").toAbsolutePath();
        List<String> lines = out.lines().toList();
        assertEquals(child.resolve("tmp").toString(), lines.get(0), out);
        assertEquals(child.toString(), lines.get(1), out);
        try (Stream<Path> files = Files.list(child)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("hs_err_pid" + p.pid() + ".log")),
                    "crash file in " + child + ":\n" + out);
        }
    }
}
