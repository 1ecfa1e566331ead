package io.ftpipe.cli.bench;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Tensor;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encode and decode times of a {@code forward} message carrying a tensor of a given size, as
 * median and p90 per message: a minority of runs pays for fresh memory pages (on this project's
 * VMs the kernel keeps reclaiming the JVM's idle heap), which a mean would hide in the average.
 */
public final class CodecBenchmark {
    private CodecBenchmark() {
    }

    public static Map<String, Object> measure(int bytes, int runs) {
        Tensor t = Tensor.ofFloats(new long[]{1, bytes / 4}, FloatBuffer.wrap(new float[bytes / 4]));
        Message m = new Message.Forward("bench", 1, 1, t);
        byte[] encoded = MessageCodec.encode(m);
        for (int i = 0; i < runs; i++) { // warm-up: the JIT compiles the codec during the first runs
            MessageCodec.decode(MessageCodec.encode(m), Integer.MAX_VALUE);
        }
        long[] encode = new long[runs];
        long[] decode = new long[runs];
        for (int i = 0; i < runs; i++) {
            long a = System.nanoTime();
            encoded = MessageCodec.encode(m);
            long b = System.nanoTime();
            MessageCodec.decode(encoded, Integer.MAX_VALUE);
            encode[i] = b - a;
            decode[i] = System.nanoTime() - b;
        }
        Timings e = Timings.of(encode);
        Timings d = Timings.of(decode);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tensor_bytes", bytes);
        r.put("message_bytes", encoded.length);
        r.put("runs", runs);
        r.put("encode_ms", e);
        r.put("decode_ms", d);
        r.put("encode_gb_per_s", bytes / (e.medianMs() * 1e6));
        r.put("decode_gb_per_s", bytes / (d.medianMs() * 1e6));
        r.put("round_trip_gb_per_s", bytes / ((e.medianMs() + d.medianMs()) * 1e6));
        return r;
    }
}
