package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.Arrays;
import java.util.List;

/**
 * ReduceMean or ReduceSum over per-sample axes (x.mean((2, 3)) is a global average pooling);
 * backward spreads the gradient back over the reduced axes, divided by their size for a mean.
 *
 * @param axes per-sample axes, ascending
 */
record ReduceOp(boolean mean, long[] in, long[] axes, boolean keepDims) implements Op {

    long[] out() {
        long[] kept = in.clone();
        for (long a : axes) {
            kept[(int) a] = 1;
        }
        if (keepDims) {
            return kept;
        }
        return ConstFolder.squeezed(in, axes);
    }

    private long count() {
        long n = 1;
        for (long a : axes) {
            n *= in[(int) a];
        }
        return n;
    }

    @Override
    public String describe() {
        return (mean ? "ReduceMean" : "ReduceSum") + Arrays.toString(axes);
    }

    @Override
    public List<long[]> outputShapes() {
        return List.of(out());
    }

    @Override
    public long flops() {
        return Shapes.numel(in);
    }

    @Override
    public List<String> forward(ForwardScope s, List<String> x) {
        GraphBuilder g = s.g();
        long[] batched = batched();
        return List.of(mean ? g.reduceMean(x.get(0), keepDims, batched) : g.reduceSum(x.get(0), keepDims, batched));
    }

    @Override
    public List<String> backward(BackwardScope s, List<String> dy, boolean[] needs) {
        if (!needs[0]) {
            return Arrays.asList((String) null);
        }
        GraphBuilder g = s.g();
        String d = keepDims ? dy.get(0) : g.unsqueeze(dy.get(0), batched());
        if (mean) {
            d = g.mul(d, g.scalar(1.0 / count()));
        }
        // Expand broadcasts: a leading 1 keeps the batch.
        long[] target = new long[in.length + 1];
        target[0] = 1;
        System.arraycopy(in, 0, target, 1, in.length);
        return List.of(g.op("Expand", d, g.ints(target)));
    }

    private long[] batched() {
        return Arrays.stream(axes).map(a -> a + 1).toArray();
    }
}
