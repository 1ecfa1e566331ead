package io.ftpipe.device.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.WireDtype;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * A stage's tensors between the wire and ONNX Runtime: what arrives (in the job's wire dtype, or
 * int64 labels) becomes float32 or int64 input, and what the stage computed leaves in the job's
 * wire dtype.
 */
final class WireTensors {
    private final OrtEnvironment env;
    private final WireDtype wire;

    WireTensors(OrtEnvironment env, WireDtype wire) {
        this.env = env;
        this.wire = wire;
    }

    /** The dtype activations and gradients arrive in. */
    String dtype() {
        return wire.dtype();
    }

    /** Into a direct native-order buffer that ONNX Runtime uses in place. */
    OnnxTensor floats(Tensor t) throws OrtException {
        FloatBuffer nat = ByteBuffer.allocateDirect(Math.toIntExact(t.elements() * 4)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        WireDtype.decode(t, nat);
        return OnnxTensor.createTensor(env, nat.flip(), t.shape());
    }

    OnnxTensor longs(Tensor t) throws OrtException {
        long[] v = new long[Math.toIntExact(t.elements())];
        t.buffer().asLongBuffer().get(v);
        return OnnxTensor.createTensor(env, LongBuffer.wrap(v), t.shape());
    }

    /** What the stage computed, as it goes on the wire. */
    Tensor wire(OnnxTensor t) throws OrtException {
        return wire.encode(t.getInfo().getShape(), t.getFloatBuffer());
    }
}
