package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.Arrays;
import java.util.List;

/**
 * A contiguous block of each sample (Slice with step 1 on per-sample axes), or its adjoint, zero
 * padding (Pad in constant mode with 0): each one's backward is the other.
 *
 * @param begin per-sample axis: elements cut off (Slice) or added (Pad) before
 * @param end   per-sample axis: elements cut off or added after
 */
record SliceOp(boolean pad, long[] in, long[] begin, long[] end) implements Op {

    long[] out() {
        long[] out = in.clone();
        for (int i = 0; i < in.length; i++) {
            out[i] += pad ? begin[i] + end[i] : -(begin[i] + end[i]);
        }
        return out;
    }

    @Override
    public String describe() {
        return (pad ? "Pad" : "Slice") + Arrays.toString(out());
    }

    @Override
    public List<long[]> outputShapes() {
        return List.of(out());
    }

    @Override
    public long flops() {
        return 0;
    }

    @Override
    public List<String> forward(ForwardScope s, List<String> x) {
        return List.of(pad ? padded(s.g(), x.get(0)) : cropped(s.g(), x.get(0), in));
    }

    @Override
    public List<String> backward(BackwardScope s, List<String> dy, boolean[] needs) {
        if (!needs[0]) {
            return Arrays.asList((String) null);
        }
        return List.of(pad ? cropped(s.g(), dy.get(0), out()) : padded(s.g(), dy.get(0)));
    }

    private String padded(GraphBuilder g, String v) {
        int rank = in.length + 1;
        long[] pads = new long[2 * rank];
        for (int i = 0; i < in.length; i++) {
            pads[i + 1] = begin[i];
            pads[rank + i + 1] = end[i];
        }
        return g.op("Pad", v, g.ints(pads));
    }

    private String cropped(GraphBuilder g, String v, long[] shape) {
        long[] starts = new long[in.length];
        long[] ends = new long[in.length];
        long[] axes = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            starts[i] = begin[i];
            ends[i] = shape[i] - end[i];
            axes[i] = i + 1;
        }
        return g.op("Slice", List.of(v, g.ints(starts), g.ints(ends), g.ints(axes)));
    }
}
