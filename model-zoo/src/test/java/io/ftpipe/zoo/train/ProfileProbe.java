package io.ftpipe.zoo.train;

import ai.onnxruntime.*;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.runtime.*;
import java.nio.file.*;
import java.util.*;

/** Temporary probe: ORT op profile of one model's forward and backward graphs. */
public class ProfileProbe {
    public static void main(String[] args) throws Exception {
        var env = OrtEnvironment.getEnvironment();
        var model = ModelZoo.create(args[0]);
        var graphs = StageCompiler.compile(model, 0, model.size());
        int n = 64;
        float[] img = new float[n * 784];
        Random r = new Random(1);
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextGaussian();
        long[] lab = new long[n];
        try (var p = new LocalPipeline(env, model, new int[]{0, model.size()}, 1, 2)) {
            for (int i = 0; i < 5; i++) p.forwardBackward(img, lab, n);
            int it = 20;
            long t = System.nanoTime();
            for (int i = 0; i < it; i++) p.forwardBackward(img, lab, n);
            System.out.printf("fwd+bwd %.1f ms%n", (System.nanoTime() - t) / 1e6 / it);
            t = System.nanoTime();
            for (int i = 0; i < it; i++) p.evaluate(img, lab, n, null);
            System.out.printf("eval %.1f ms%n", (System.nanoTime() - t) / 1e6 / it);
        }
        // op profile
        for (String which : new String[]{"forward", "backward"}) {
            byte[] onnx = which.equals("forward") ? graphs.forward().onnx() : graphs.backward().onnx();
            Files.write(Path.of("/tmp/" + args[0] + "." + which + ".onnx"), onnx);
        }
    }
}
