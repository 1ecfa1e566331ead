package io.ftpipe.cli.bench;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Tensor;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encode and decode throughput of a {@code forward} message carrying a tensor of a given size. */
public final class CodecBenchmark {
    private CodecBenchmark() {
    }

    /** GB/s of tensor bytes for encoding, decoding and both, each timed over at least {@code minNanos}. */
    public static Map<String, Object> measure(int bytes, long minNanos) {
        float[] values = new float[bytes / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.001f;
        }
        Tensor t = Tensor.ofFloats(new long[]{1, values.length}, FloatBuffer.wrap(values));
        Message m = new Message.Forward("bench", 1, 1, t);
        byte[] encoded = MessageCodec.encode(m);
        long encodeNanos = 0;
        long decodeNanos = 0;
        int runs = 0;
        while (encodeNanos + decodeNanos < minNanos || runs < 3) {
            long a = System.nanoTime();
            encoded = MessageCodec.encode(m);
            long b = System.nanoTime();
            MessageCodec.decode(encoded, Integer.MAX_VALUE);
            long c = System.nanoTime();
            encodeNanos += b - a;
            decodeNanos += c - b;
            runs++;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tensor_bytes", bytes);
        r.put("message_bytes", encoded.length);
        r.put("runs", runs);
        r.put("encode_gb_per_s", (double) bytes * runs / encodeNanos);
        r.put("decode_gb_per_s", (double) bytes * runs / decodeNanos);
        r.put("round_trip_gb_per_s", (double) bytes * runs / (encodeNanos + decodeNanos));
        return r;
    }
}
