package io.ftpipe.zoo.train;

import ai.onnxruntime.*;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphs;
import java.nio.*;
import java.util.*;

/** Temporary probe: ORT profiler JSON for forward and backward graphs of one model. */
public class OpProfileProbe {
    public static void main(String[] args) throws Exception {
        var env = OrtEnvironment.getEnvironment();
        var model = ModelZoo.create(args[0]);
        var g = StageCompiler.compile(model, 0, model.size());
        var store = ParamStore.initialize(env, g.params().values(), 1);
        int n = 64;
        var opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(2);
        opts.enableProfiling("/tmp/prof_" + args[0]);
        var fwd = env.createSession(g.forward().onnx(), opts);
        var bwd = env.createSession(g.backward().onnx(), opts);
        float[] img = new float[n * 784];
        var x = OnnxTensor.createTensor(env, FloatBuffer.wrap(img), new long[]{n, 1, 28, 28});
        var y = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n]), new long[]{n});
        for (int i = 0; i < 10; i++) {
            Map<String, OnnxTensor> in = new HashMap<>();
            for (String p : g.forward().params()) in.put(p, store.get(p).valueTensor());
            in.put("x", x); in.put("labels", y);
            try (var r = fwd.run(in)) {
                Map<String, OnnxTensor> b = new HashMap<>();
                for (String p : g.backward().params()) b.put(p, store.get(p).valueTensor());
                b.put("dy", (OnnxTensor) r.get("dlogits").get());
                for (ForwardScope.Stash s : g.stash()) b.put(s.name(), (OnnxTensor) r.get(s.name()).get());
                try (var rb = bwd.run(b)) { }
            }
        }
        System.out.println(fwd.endProfiling());
        System.out.println(bwd.endProfiling());
    }
}
