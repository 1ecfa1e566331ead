package io.ftpipe.zoo.stage;

import io.ftpipe.zoo.layer.BatchNorm2d;
import io.ftpipe.zoo.layer.Conv2d;
import io.ftpipe.zoo.layer.Flatten;
import io.ftpipe.zoo.layer.GlobalAvgPool;
import io.ftpipe.zoo.layer.Layer;
import io.ftpipe.zoo.layer.Linear;
import io.ftpipe.zoo.layer.MaxPool2d;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.layer.ReLU;
import io.ftpipe.zoo.layer.Residual;
import io.ftpipe.zoo.layer.Sequential;
import io.ftpipe.zoo.layer.Window;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.model.Unit;
import io.ftpipe.zoo.onnx.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layer and model: analytic gradients of float64 graphs against central differences of the
 * loss, relative error (norm over sampled entries) at most 1e-5.
 */
class GradientCheckTest {
    private static final double TOLERANCE = 1e-5;
    private static final double H = 1e-6;
    private static final int SAMPLES_PER_TENSOR = 8;
    private static final double ZERO = 1e-7;

    /** A layer under test, placed between a small input and a linear classifier. */
    record Case(String name, long[] input, Layer layer) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> layers() {
        long[] img = {3, 6, 6};
        return Stream.of(
                new Case("linear", new long[]{5}, new Linear(5, 7)),
                new Case("relu", new long[]{9}, ReLU.relu()),
                new Case("relu6", new long[]{9}, ReLU.relu6()),
                new Case("conv", img, Conv2d.of(3, 4, 3, 1, 1)),
                new Case("conv-stride2", img, Conv2d.of(3, 4, 3, 2, 1)),
                new Case("conv-stride2-uneven", new long[]{2, 7, 7}, Conv2d.of(2, 3, 3, 2, 0)),
                new Case("conv-5x5", img, Conv2d.of(3, 2, 5, 1, 2)),
                new Case("conv-5x5-stride2", new long[]{4, 7, 7}, Conv2d.of(4, 2, 5, 2, 2)),
                new Case("conv-groups", new long[]{4, 5, 5}, new Conv2d(4, 6, 3, 1, 1, 2, true)),
                new Case("depthwise", img, Conv2d.depthwise(3, 3, 1, 1)),
                new Case("depthwise-stride2", img, Conv2d.depthwise(3, 3, 2, 1)),
                new Case("conv-1d", new long[]{2, 1, 9}, new Conv2d(2, 3, new Window(1, 5, 1, 2, 0, 2, 1, 1), 1, true)),
                new Case("conv-dilated", img, new Conv2d(3, 2, new Window(3, 3, 1, 1, 2, 2, 2, 2), 1, true)),
                new Case("conv-dilated-stride2", new long[]{2, 7, 7},
                        new Conv2d(2, 3, new Window(3, 2, 2, 1, 1, 0, 2, 3), 1, false)),
                new Case("conv-pad-beyond-kernel", img, new Conv2d(3, 2, new Window(1, 1, 1, 1, 1, 1, 1, 1), 1, true)),
                new Case("conv-groups-dilated", new long[]{4, 7, 6},
                        new Conv2d(4, 6, new Window(3, 3, 2, 1, 1, 1, 2, 1), 2, true)),
                new Case("depthwise-1d", new long[]{3, 1, 8}, new Conv2d(3, 3, new Window(1, 3, 1, 1, 0, 1, 1, 1), 3, false)),
                new Case("depthwise-1d-stride2", new long[]{3, 1, 9},
                        new Conv2d(3, 3, new Window(1, 5, 1, 2, 0, 2, 1, 1), 3, true)),
                new Case("depthwise-dilated", img, new Conv2d(3, 3, new Window(3, 3, 1, 1, 2, 2, 2, 2), 3, false)),
                new Case("maxpool", new long[]{2, 6, 6}, new MaxPool2d(2, 2)),
                new Case("maxpool-1d", new long[]{2, 1, 8}, new MaxPool2d(new Window(1, 2, 1, 2, 0, 0, 1, 1))),
                new Case("maxpool-padded", new long[]{2, 7, 7}, new MaxPool2d(new Window(3, 3, 2, 2, 1, 1, 1, 1))),
                new Case("maxpool-untiled", new long[]{2, 7, 7}, new MaxPool2d(2, 2)),
                new Case("maxpool-overlapping", new long[]{2, 7, 7}, new MaxPool2d(3, 2)),
                new Case("global-avg-pool", img, new GlobalAvgPool()),
                new Case("flatten", img, new Flatten()),
                new Case("batchnorm", img, BatchNorm2d.of(3)),
                new Case("inverted-residual", new long[]{4, 5, 5}, new Residual(Sequential.of(
                        Conv2d.pointwise(4, 8), BatchNorm2d.of(8), ReLU.relu6(),
                        Conv2d.depthwise(8, 3, 1, 1), BatchNorm2d.of(8), ReLU.relu6(),
                        Conv2d.pointwise(8, 4), BatchNorm2d.of(4)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void layerGradientsMatchFiniteDifferences(Case c) throws Exception {
        long[] out = c.layer().outputShape(c.input());
        List<Unit> units = new ArrayList<>();
        units.add(new Unit("layer", c.layer()));
        if (out.length > 1) {
            units.add(new Unit("flatten", new Flatten()));
        }
        long features = io.ftpipe.zoo.layer.Shapes.numel(out);
        units.add(new Unit("classifier", new Linear((int) features, 3)));
        check(new Model(c.name(), c.input(), 3, units), 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "mobilenetv2"})
    void modelGradientsMatchFiniteDifferences(String name) throws Exception {
        check(ModelZoo.create(name), 3);
    }

    /**
     * A window of equal values (a flat image background) has no unique maximum: its gradient is
     * shared equally, and the shares add up to the derivative along moving all four together.
     */
    @Test
    void maxPoolSharesATiedWindowsGradient() throws Exception {
        Model model = new Model("tie", new long[]{1, 2, 2}, 3, List.of(new Unit("pool", new MaxPool2d(2, 2)),
                new Unit("flatten", new Flatten()), new Unit("classifier", new Linear(1, 3))));
        StageGraphs graphs = StageCompiler.compile(model, 0, model.size(), DType.FLOAT64, true);
        Map<String, double[]> params = randomParams(graphs, new Random(3));
        long[] labels = {1};
        try (Float64Stage stage = new Float64Stage(graphs)) {
            double[] dx = stage.gradients(params, new double[]{0.5, 0.5, 0.5, 0.5}, labels).input();
            double h = 1e-6;
            double along = (stage.loss(params, new double[]{0.5 + h, 0.5 + h, 0.5 + h, 0.5 + h}, labels)
                    - stage.loss(params, new double[]{0.5 - h, 0.5 - h, 0.5 - h, 0.5 - h}, labels)) / (2 * h);
            assertTrue(Math.abs(along) > 1e-3, "the loss depends on the pooled value");
            for (double d : dx) {
                assertEquals(along / 4, d, 1e-8);
            }
        }
    }

    @Test
    void stageWithoutInputGradientStillGivesParameterGradients() throws Exception {
        Model m = ModelZoo.cnn();
        StageGraphs g = StageCompiler.compile(m, 0, m.size(), DType.FLOAT64, false);
        assertTrue(!g.inputGrad() && g.gradients().size() == 8, "gradients " + g.gradients());
    }

    static void check(Model model, int batch) throws Exception {
        StageGraphs graphs = StageCompiler.compile(model, 0, model.size(), DType.FLOAT64, true);
        Random random = new Random(42);
        Map<String, double[]> params = randomParams(graphs, random);
        long inputSize = io.ftpipe.zoo.layer.Shapes.numel(model.inputShape());
        double[] x = new double[(int) (batch * inputSize)];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(model.classes());
        }
        try (Float64Stage stage = new Float64Stage(graphs)) {
            Float64Stage.Gradients analytic = stage.gradients(params, x, labels);
            assertTrue(Math.abs(analytic.loss() - stage.loss(params, x, labels)) < 1e-12);
            for (String p : graphs.gradients()) {
                double[] values = params.get(p);
                assertClose(model.name() + " " + p, analytic.params().get(p), values,
                        () -> stage.loss(params, x, labels), random);
            }
            assertClose(model.name() + " input", analytic.input(), x, () -> stage.loss(params, x, labels), random);
        }
    }

    interface Loss {
        double get() throws Exception;
    }

    /**
     * Compares analytic against numeric gradients on a sample of entries of {@code values}. An entry
     * where the loss has a kink within +-h (a ReLU6 input crossing 0 or 6: likely among the half
     * million activations of a model) is detected by central differences at h and h/2 disagreeing,
     * and replaced by another entry. This looks only at the loss, so it cannot hide a wrong gradient.
     */
    static void assertClose(String what, double[] analytic, double[] values, Loss loss, Random random)
            throws Exception {
        int wanted = Math.min(SAMPLES_PER_TENSOR, values.length);
        double diff = 0;
        double norm = 0;
        int used = 0;
        for (int attempt = 0; used < wanted && attempt < 4 * wanted; attempt++) {
            int i = wanted == values.length ? attempt % values.length : random.nextInt(values.length);
            double numeric = centralDifference(values, i, H, loss);
            double finer = centralDifference(values, i, H / 2, loss);
            if (Math.abs(numeric - finer) > 1e-8 + 1e-6 * Math.abs(numeric)) {
                continue;
            }
            used++;
            diff += (numeric - analytic[i]) * (numeric - analytic[i]);
            norm += Math.max(numeric * numeric, analytic[i] * analytic[i]);
        }
        assertTrue(used == wanted, what + ": only " + used + " of " + wanted + " entries were differentiable");
        // A parameter the loss is invariant to (a BatchNorm shift feeding another BatchNorm through a
        // linear map) has a gradient of exactly zero: there only the absolute error means anything.
        // Central differences resolve about 1e-10 here (double rounding of the loss over 2h).
        double scale = Math.sqrt(norm);
        if (scale < ZERO) {
            assertTrue(Math.sqrt(diff) < ZERO, what + ": absolute error " + Math.sqrt(diff) + " of a zero gradient");
            return;
        }
        double relative = Math.sqrt(diff) / scale;
        assertTrue(relative <= TOLERANCE, what + ": relative error " + relative + " (gradient norm " + scale + ")");
    }

    private static double centralDifference(double[] values, int i, double h, Loss loss) throws Exception {
        double saved = values[i];
        values[i] = saved + h;
        double plus = loss.get();
        values[i] = saved - h;
        double minus = loss.get();
        values[i] = saved;
        return (plus - minus) / (2 * h);
    }

    private static Map<String, double[]> randomParams(StageGraphs graphs, Random random) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (ParamSpec spec : graphs.params().values()) {
            double[] v = new double[spec.size()];
            for (int i = 0; i < v.length; i++) {
                // Constants (BatchNorm scale and shift) are perturbed so that they are tested too.
                v[i] = spec.uniformBound() > 0 ? (2 * random.nextDouble() - 1) * spec.uniformBound()
                        : spec.constant() + 0.3 * random.nextGaussian();
            }
            out.put(spec.name(), v);
        }
        return out;
    }
}
