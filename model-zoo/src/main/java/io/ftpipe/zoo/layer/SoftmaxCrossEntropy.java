package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

/** The loss head: mean softmax cross-entropy over the batch, its gradient, and the correct count. */
public final class SoftmaxCrossEntropy {

    /** Values emitted into the graph. */
    public record Outputs(String loss, String correct, String logitsGrad) {
    }

    private SoftmaxCrossEntropy() {
    }

    /**
     * @param logits [N, classes] of the graph's type
     * @param labels [N] int64 class indices
     */
    public static Outputs emit(GraphBuilder g, String logits, String labels, int classes, boolean withGrad) {
        String logProbs = g.op("LogSoftmax", logits, Attr.i("axis", 1));
        long[] classIds = new long[classes];
        for (int c = 0; c < classes; c++) {
            classIds[c] = c;
        }
        // Equal + Cast rather than OneHot, which ONNX Runtime lacks for float64.
        String oneHot = g.op("Cast", g.op("Equal", g.unsqueeze(labels, 1), g.ints(classIds)),
                Attr.i("to", g.dtype().onnxCode()));
        String n = g.batchSize(logits);
        String loss = g.op("Neg", g.div(g.reduceSum(g.mul(oneHot, logProbs), false, 0, 1), n));
        String predicted = g.op("ArgMax", logits, Attr.i("axis", 1), Attr.i("keepdims", 0));
        String hits = g.op("Cast", g.op("Equal", predicted, labels), Attr.i("to", DType.INT64.onnxCode()));
        String correct = g.reduceSum(hits, false, 0);
        // d(mean loss)/d(logits) = (softmax - one-hot) / N
        String grad = withGrad ? g.div(g.sub(g.op("Exp", logProbs), oneHot), n) : null;
        return new Outputs(loss, correct, grad);
    }
}
