package io.ftpipe.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tensors as Python users of MQTT read and write them: Debian's {@code python3-msgpack-numpy}
 * decodes what this side wrote into numpy arrays, and this side decodes what it encoded.
 */
class MsgpackNumpyInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void msgpackNumpyDecodesOurTensorsIntoArrays() throws Exception {
        Tensor x = Tensor.ofFloats(new long[]{2, 3}, FloatBuffer.wrap(new float[]{1, -2, 3.5f, 0.25f, 0, 7}));
        Tensor labels = Tensor.ofLongs(new long[]{3}, new long[]{9, 0, 4}, 3);
        Path forward = dir.resolve("forward.msgpack");
        Path label = dir.resolve("labels.msgpack");
        Files.write(forward, MessageCodec.encode(new Message.Forward("j", 1, 5, x)));
        Files.write(label, MessageCodec.encode(new Message.Labels("j", 1, 5, labels)));

        assertEquals(List.of("x <f4 2,3 1.0,-2.0,3.5,0.25,0.0,7.0"), python("decode", forward));
        assertEquals(List.of("labels <i8 3 9,0,4"), python("decode", label));
    }

    @Test
    void weDecodeWhatMsgpackNumpyEncoded() throws Exception {
        Path file = dir.resolve("from-python.msgpack");
        python("encode", file);
        var f = (Message.Forward) MessageCodec.decode(Files.readAllBytes(file), 1 << 20);
        assertEquals("py", f.job());
        assertEquals(7, f.iteration());
        assertEquals(Tensor.FLOAT32, f.x().dtype());
        assertArrayEquals(new long[]{2, 3}, f.x().shape());
        float[] v = new float[6];
        f.x().buffer().asFloatBuffer().get(v);
        assertArrayEquals(new float[]{-1, -0.5f, 0, 0.5f, 1, 1.5f}, v);
    }

    /** Runs the Python peer and returns what it printed; fails with its error output if it fails. */
    private List<String> python(String mode, Path file) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(PYTHON), "Debian's python3 is missing: apt-get install python3-msgpack-numpy");
        Path script = dir.resolve("msgpack_numpy_peer.py");
        try (InputStream in = getClass().getResourceAsStream("/python/msgpack_numpy_peer.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), mode, file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the Python peer did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "the Python peer failed (is python3-msgpack-numpy installed?):\n" + out);
        return out.lines().toList();
    }
}
