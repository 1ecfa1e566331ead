package io.ftpipe.zoo.stage;

import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.ParamSpec;

import java.util.List;
import java.util.Map;

/**
 * The compiled graphs of one stage (units [from, to) of a model), as plain ONNX bytes so they can
 * be shipped to a device that has no model code.
 *
 * <p>Forward (training): {@value #INPUT} (+ {@value #LABELS} on the last stage) and parameters in;
 * {@value #OUTPUT} (or {@value #LOSS}, {@value #CORRECT}, {@value #LOGITS_GRAD} on the last stage),
 * the stash and {@code <buffer>.next} out. Backward: {@value #GRAD_OUTPUT}, the stash and
 * parameters in; {@code <param>.grad} and {@value #GRAD_INPUT} (unless the stage needs no input
 * gradient) out. Eval: like forward without stash or buffer updates; the last stage also outputs
 * {@value #LOGITS}.
 */
public record StageGraphs(String model, int from, int to, boolean first, boolean last, long[] inputShape,
                          long[] outputShape, Map<String, ParamSpec> params, Graph forward, Graph backward,
                          Graph eval, List<ForwardScope.Stash> stash, List<String> bufferUpdates,
                          List<String> gradients, boolean inputGrad) {

    public static final String INPUT = "x";
    public static final String OUTPUT = "y";
    public static final String LABELS = "labels";
    public static final String LOSS = "loss";
    public static final String CORRECT = "correct";
    public static final String LOGITS = "logits";
    public static final String LOGITS_GRAD = "dlogits";
    public static final String GRAD_OUTPUT = "dy";
    public static final String GRAD_INPUT = "dx";

    /** One ONNX model and the parameters it takes as inputs. */
    public record Graph(byte[] onnx, List<String> params) {
    }
}
