package io.ftpipe.zoo.stage;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.layer.SoftmaxCrossEntropy;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.Map;

import static io.ftpipe.zoo.stage.StageGraphs.*;

/** Compiles units [from, to) of a model into forward, backward and evaluation graphs. */
public final class StageCompiler {

    private StageCompiler() {
    }

    /** Float32 graphs; the input gradient is computed unless the stage is the first. */
    public static StageGraphs compile(Model model, int from, int to) {
        return compile(model, from, to, DType.FLOAT32, from > 0);
    }

    public static StageGraphs compile(Model model, int from, int to, DType dtype, boolean inputGrad) {
        model.checkRange(from, to);
        boolean last = to == model.size();
        long[] in = model.inputShape(from);
        long[] out = model.inputShape(to);
        Map<String, ParamSpec> params = model.params(from, to);
        String tag = model.name() + "[" + from + "," + to + ")";

        ForwardScope.Graph fwd = new ForwardScope.Graph(new GraphBuilder(tag + ".forward", dtype), true, params);
        emitForward(model, from, to, fwd, last);

        GraphBuilder bg = new GraphBuilder(tag + ".backward", dtype);
        BackwardScope.Graph bwd = new BackwardScope.Graph(bg, params, fwd.stashes());
        String dy = bg.input(GRAD_OUTPUT, Shapes.batched(last ? new long[]{model.classes()} : out));
        for (int u = to - 1; u >= from; u--) {
            boolean needs = u > from || inputGrad;
            dy = model.units().get(u).layer().backward(new BackwardScope(bwd, Model.unitPrefix(u), needs), dy,
                    model.inputShape(u));
        }
        if (inputGrad) {
            bg.output(dy, GRAD_INPUT);
        }
        // The runtime feeds every stash; one whose layer needed no backward (no weights, and no
        // input gradient wanted) is an unused input rather than a missing one.
        for (ForwardScope.Stash st : fwd.stashes()) {
            if (!bg.hasInput(st.name())) {
                bg.inputAnyShape(st.name(), st.type());
            }
        }

        ForwardScope.Graph eval = new ForwardScope.Graph(new GraphBuilder(tag + ".eval", dtype), false, params);
        emitForward(model, from, to, eval, last);

        return new StageGraphs(model.name(), from, to, from == 0, last, in, out, params,
                new Graph(fwd.g().toBytes(), fwd.declaredParams()), new Graph(bg.toBytes(), bwd.declaredParams()),
                new Graph(eval.g().toBytes(), eval.declaredParams()), fwd.stashes(), fwd.bufferUpdates(),
                bwd.gradients(), inputGrad);
    }

    private static void emitForward(Model model, int from, int to, ForwardScope.Graph graph, boolean last) {
        GraphBuilder g = graph.g();
        String x = g.input(INPUT, Shapes.batched(model.inputShape(from)));
        for (int u = from; u < to; u++) {
            x = model.units().get(u).layer().forward(new ForwardScope(graph, Model.unitPrefix(u)), x,
                    model.inputShape(u));
        }
        if (!last) {
            g.output(x, OUTPUT);
            return;
        }
        String labels = g.input(LABELS, DType.INT64, -1);
        boolean training = graph.training();
        SoftmaxCrossEntropy.Outputs head = SoftmaxCrossEntropy.emit(g, x, labels, model.classes(), training);
        g.output(head.loss(), LOSS);
        g.output(head.correct(), CORRECT, DType.INT64);
        if (training) {
            g.output(head.logitsGrad(), LOGITS_GRAD);
        } else {
            g.output(x, LOGITS);
        }
    }
}
