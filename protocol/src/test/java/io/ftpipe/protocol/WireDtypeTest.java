package io.ftpipe.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireDtypeTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void halvesRoundToNearestEvenAndSaturateToInfinity() {
        assertEquals((short) 0x3c00, WireDtype.toHalf(1f));
        assertEquals((short) 0xc000, WireDtype.toHalf(-2f));
        assertEquals((short) 0x7bff, WireDtype.toHalf(65504f), "the largest float16");
        assertEquals((short) 0x7c00, WireDtype.toHalf(65520f), "past it: infinity");
        assertEquals((short) 0x0001, WireDtype.toHalf(0x1p-24f), "the smallest subnormal");
        assertEquals((short) 0x0000, WireDtype.toHalf(0x1p-26f), "below half of it: zero");
        assertEquals((short) 0x3c00, WireDtype.toHalf(1f + 0x1p-11f), "a tie goes to the even neighbour");
        assertEquals((short) 0x3c02, WireDtype.toHalf(1f + 3 * 0x1p-11f), "a tie goes to the even neighbour");
        assertTrue(Float.isNaN(WireDtype.fromHalf(WireDtype.toHalf(Float.NaN))));
        assertEquals((short) 0x3f80, WireDtype.toBfloat16(1f));
        assertEquals((short) 0x3f80, WireDtype.toBfloat16(Float.intBitsToFloat(0x3f808000)), "a tie to even");
        assertEquals((short) 0x3f82, WireDtype.toBfloat16(Float.intBitsToFloat(0x3f818000)), "a tie to even");
    }

    @Test
    void aTensorHalvedAndReadBackIsWithinItsPrecision() {
        float[] values = {0.1f, -3.75f, 1234.5f, 1e-3f, 0};
        for (WireDtype w : WireDtype.values()) {
            Tensor t = w.encode(new long[]{1, 5}, FloatBuffer.wrap(values));
            assertEquals(w.dtype(), t.dtype());
            assertEquals(5L * (w == WireDtype.FLOAT32 ? 4 : 2), t.data().length);
            t.check(w.dtype(), new long[]{5}, 1);
            FloatBuffer back = FloatBuffer.allocate(5);
            WireDtype.decode(t, back);
            double tolerance = w == WireDtype.FLOAT32 ? 0 : w == WireDtype.FLOAT16 ? 0x1p-11 : 0x1p-8;
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], back.get(i), Math.abs(values[i]) * tolerance, w + " element " + i);
            }
        }
    }

    @Test
    void aReceiverRejectsAHalfThatOverflowed() {
        Tensor t = WireDtype.FLOAT16.encode(new long[]{1, 2}, FloatBuffer.wrap(new float[]{1, 1e6f}));
        ProtocolException e = assertThrows(ProtocolException.class, () -> t.check(Tensor.FLOAT16, new long[]{2}, 1));
        assertEquals(RejectReason.NON_FINITE, e.reason());
        assertThrows(IllegalArgumentException.class, () -> WireDtype.named("float8"));
    }

    /** numpy's float16 is the reference: the same bits for the same floats, both ways. */
    @Test
    void float16BitsEqualNumpysBothWays() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(2, random.nextDouble(-30, 18)));
        }
        Path in = dir.resolve("floats.f4");
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(in, b.array());
        Path out = dir.resolve("halves.f2");
        Path all = dir.resolve("all-halves.f4");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy as np, sys\n"
                + "np.fromfile(sys.argv[1], '<f4').astype('<f2').tofile(sys.argv[2])\n"
                + "np.arange(65536, dtype='<u2').view('<f2').astype('<f4').tofile(sys.argv[3])\n",
                in.toString(), out.toString(), all.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, "numpy (python3-numpy): " + said);

        Tensor ours = WireDtype.FLOAT16.encode(new long[]{values.length}, FloatBuffer.wrap(values));
        assertArrayEquals(Files.readAllBytes(out), ours.data(), "float32 to float16");
        ByteBuffer numpy = ByteBuffer.wrap(Files.readAllBytes(all)).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) {
            float theirs = numpy.getFloat(4 * h);
            float mine = WireDtype.fromHalf((short) h);
            assertTrue(Float.compare(theirs, mine) == 0 || (Float.isNaN(theirs) && Float.isNaN(mine)),
                    "float16 " + Integer.toHexString(h) + ": numpy " + theirs + ", ours " + mine);
        }
    }
}
