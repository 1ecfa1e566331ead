package io.ftpipe.zoo.layer;

import ai.onnx.proto.OnnxMl.TensorProto;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code ratio} and the
 * rest scaled by 1 / (1 - ratio); in evaluation the identity. The mask comes from ONNX's own
 * Dropout with a fixed seed, so a session draws the same sequence of masks every time it is
 * created; backward multiplies by the stashed scaled mask.
 */
public record Dropout(double ratio, long seed) implements Elementwise {

    public Dropout {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("dropout ratio " + ratio + " is not in [0, 1)");
        }
    }

    @Override
    public String describe() {
        return "Dropout(" + (float) ratio + ")";
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        if (!s.training() || ratio == 0) {
            return x;
        }
        GraphBuilder g = s.g();
        TensorProto yes = TensorProto.newBuilder().setDataType(DType.BOOL.onnxCode()).addInt32Data(1).build();
        String training = g.op("Constant", List.of(), Attr.tensor("value", yes));
        String[] out = g.op("Dropout", List.of(x, g.scalar(ratio), training), 2, Attr.i("seed", seed));
        String kept = g.op("Cast", out[1], Attr.i("to", g.dtype().onnxCode()));
        s.stash(g.mul(kept, g.scalar(1 / (1 - ratio))));
        return out[0];
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        return ratio == 0 ? dy : s.g().mul(dy, s.stashed(0, Shapes.batched(in)));
    }
}
