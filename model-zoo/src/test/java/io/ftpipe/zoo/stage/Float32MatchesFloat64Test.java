package io.ftpipe.zoo.stage;

import io.ftpipe.zoo.layer.Conv2d;
import io.ftpipe.zoo.layer.Flatten;
import io.ftpipe.zoo.layer.Linear;
import io.ftpipe.zoo.layer.MaxPool2d;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.model.Unit;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.runtime.Float32Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 graphs that train agree with the float64 graphs that the gradient checks prove
 * right. Float64 graphs replace ONNX Runtime's Conv and ConvTranspose (float only) by a
 * decomposition, so this also proves the decomposition equals the real operators.
 */
class Float32MatchesFloat64Test {

    static java.util.stream.Stream<GradientCheckTest.Case> layers() {
        return GradientCheckTest.layers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void layer(GradientCheckTest.Case c) throws Exception {
        long[] out = c.layer().outputShape(c.input());
        List<Unit> units = new ArrayList<>();
        units.add(new Unit("layer", c.layer()));
        if (out.length > 1) {
            units.add(new Unit("flatten", new Flatten()));
        }
        units.add(new Unit("classifier", new Linear((int) Shapes.numel(out), 3)));
        compare(new Model(c.name(), c.input(), 3, units), 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "mobilenetv2"})
    void model(String name) throws Exception {
        compare(ModelZoo.create(name), 8);
    }

    /**
     * Windows of equal values (a flat image background) tie. Float32 builds the pooling mask in
     * another layout than float64 does; both must share the window's gradient among its maxima.
     */
    @Test
    void tiedPoolingWindows() throws Exception {
        Model model = new Model("tied-pool", new long[]{1, 4, 4}, 3, List.of(
                new Unit("conv", Conv2d.of(1, 2, 1, 1, 0)), new Unit("pool", new MaxPool2d(2, 2)),
                new Unit("flatten", new Flatten()), new Unit("classifier", new Linear(8, 3))));
        compare(model, 2, random -> 0.5);
    }

    static void compare(Model model, int batch) throws Exception {
        compare(model, batch, Random::nextGaussian);
    }

    private static void compare(Model model, int batch, ToDoubleFunction<Random> pixel) throws Exception {
        StageGraphs g64 = StageCompiler.compile(model, 0, model.size(), DType.FLOAT64, true);
        Random random = new Random(7);
        Map<String, double[]> w64 = new LinkedHashMap<>();
        Map<String, float[]> w32 = new LinkedHashMap<>();
        for (ParamSpec spec : g64.params().values()) {
            double[] v = new double[spec.size()];
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                double value = spec.uniformBound() > 0 ? (2 * random.nextDouble() - 1) * spec.uniformBound()
                        : spec.constant() + 0.3 * random.nextGaussian();
                f[i] = (float) value;
                v[i] = f[i];
            }
            w64.put(spec.name(), v);
            w32.put(spec.name(), f);
        }
        int size = (int) Shapes.numel(model.inputShape());
        double[] x64 = new double[batch * size];
        float[] x32 = new float[x64.length];
        for (int i = 0; i < x64.length; i++) {
            x32[i] = (float) pixel.applyAsDouble(random);
            x64[i] = x32[i];
        }
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(model.classes());
        }
        Float64Stage.Gradients reference;
        try (Float64Stage stage = new Float64Stage(g64)) {
            reference = stage.gradients(w64, x64, labels);
        }
        var actual = Float32Harness.step(model, new int[]{0, model.size()}, w32, x32, labels);
        assertEquals(reference.loss(), actual.loss(), 1e-5 * Math.abs(reference.loss()));
        for (String p : reference.params().keySet()) {
            double error = Float32Harness.relativeError(actual.grads().get(p), reference.params().get(p));
            assertTrue(error <= 1e-3, model.name() + " " + p + ": float32 vs float64 relative error " + error);
        }
    }
}
