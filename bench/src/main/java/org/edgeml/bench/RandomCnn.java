package org.edgeml.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.FeatureKernels;
import org.edgeml.core.engine.LayerKernel;
import org.edgeml.core.engine.ScalarDenseKernel;
import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.GoldenVector;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.QuantizedMultiplier;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * Seeded random int8 CNNs built directly in the integer domain, layer by layer: for benchmarks (latency
 * does not depend on the weight values) and the ONNX export's tests. Weights are uniform in
 * {@code [-weightLimit, weightLimit]}, weight scales per channel. A few random inputs travel through each
 * layer as it is added (on the reference kernels); from their activations each new layer's bias cancels
 * the mean of its accumulators and its requantization maps their standard deviation to about 40 codes, so
 * outputs spread without saturating, as calibration would make them. A ReLU layer's output covers
 * {@code [0, max]} (zero point -128, as calibration gives it) unless a zero point is asked for; a
 * lookup-table activation gets its table from {@link Activation#lookupTable}.
 */
public final class RandomCnn {
    /** The preset of issue 12, on 28x28x1: conv 3x3x32 ReLU, max pool 2, conv 3x3x64 ReLU, max pool 2, dense 128 ReLU, dense 10. */
    public static final String PRESET = "conv3x3:32 (same, relu), maxpool2, conv3x3:64 (same, relu), maxpool2, flatten, dense:128 (relu), dense:10";

    private final Random rnd;
    private final int weightLimit;
    private final InputQuantization input;
    private final List<FeatureLayer> features = new ArrayList<>();
    private final List<QuantizedDense> dense = new ArrayList<>();
    private Shape shape;
    private QuantParams quant;
    private Integer reluZeroPoint;
    /** The current activations of {@link #SAMPLES} random inputs. */
    private byte[][] samples = new byte[SAMPLES][];
    private static final int SAMPLES = 16;

    /** A model on a {@code height x width x 1} input with pixels normalized to [0, 1]. */
    public RandomCnn(long seed, int height, int width, int weightLimit) {
        this(seed, height, width, 1, weightLimit);
    }

    /** A model on a {@code height x width x channels} input (1 grey, 3 colour) with pixels normalized to [0, 1]. */
    public RandomCnn(long seed, int height, int width, int channels, int weightLimit) {
        if (weightLimit < 1 || weightLimit > 127) {
            throw new IllegalArgumentException("weight limit must be 1..127, got " + weightLimit);
        }
        rnd = new Random(seed);
        this.weightLimit = weightLimit;
        input = InputQuantization.covering(height, width, channels, false, 1 / 255.0, 0);
        shape = new Shape(height, width, channels);
        quant = input.quantParams();
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = new byte[shape.size()];
            rnd.nextBytes(samples[i]);
        }
    }

    /**
     * The preset-shaped CNN on 28x28x1 ({@link #PRESET}; same padding) with 10 classes, full-range
     * weights and golden vectors.
     */
    public static Q8Model preset(long seed) {
        return new RandomCnn(seed, 28, 28, 127)
                .conv(3, 3, 1, 1, Padding.SAME, 32, Activation.RELU)
                .maxPool(2, 2, Padding.VALID)
                .conv(3, 3, 1, 1, Padding.SAME, 64, Activation.RELU)
                .maxPool(2, 2, Padding.VALID)
                .flatten()
                .dense(128, Activation.RELU)
                .dense(10, Activation.IDENTITY)
                .build("bench-cnn-preset", 8);
    }

    /** From now on ReLU layers take this output zero point instead of -128 (to exercise the clamp). */
    public RandomCnn reluZeroPoint(int zeroPoint) {
        reluZeroPoint = zeroPoint;
        return this;
    }

    public RandomCnn conv(int kh, int kw, int sh, int sw, Padding padding, int channels, Activation activation) {
        Window window = new Window(shape, kh, kw, sh, sw, padding);
        int terms = kh * kw * shape.channels();
        byte[] weights = weights(terms * channels);
        float[] weightScales = new float[channels];
        int[] bias = new int[channels];
        Requantization r = requantization(weights, terms, channels, weightScales, bias, activation);
        return add(new QuantizedConv2D(window, channels, weights, weightScales, bias, quant, r));
    }

    public RandomCnn depthwise(int kh, int kw, int sh, int sw, Padding padding, Activation activation) {
        Window window = new Window(shape, kh, kw, sh, sw, padding);
        int channels = shape.channels();
        int terms = kh * kw;
        byte[] rows = weights(terms * channels); // per-channel rows [C][kh*kw], stored [kh][kw][C] below
        float[] weightScales = new float[channels];
        int[] bias = new int[channels];
        Requantization r = requantization(rows, terms, channels, weightScales, bias, activation);
        byte[] weights = new byte[rows.length];
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < terms; k++) {
                weights[k * channels + c] = rows[c * terms + k];
            }
        }
        return add(new QuantizedDepthwiseConv2D(window, weights, weightScales, bias, quant, r));
    }

    public RandomCnn maxPool(int size, int stride, Padding padding) {
        return add(new MaxPool2D(new Window(shape, size, size, stride, stride, padding), quant));
    }

    public RandomCnn averagePool(int kh, int kw, int sh, int sw, Padding padding) {
        return add(new AveragePool2D(new Window(shape, kh, kw, sh, sw, padding), quant));
    }

    public RandomCnn globalAveragePool() {
        return add(new GlobalAveragePool(shape, quant));
    }

    public RandomCnn flatten() {
        return add(new Flatten(shape, quant));
    }

    public RandomCnn dense(int outputs, Activation activation) {
        int inputs = shape.size();
        byte[] weights = weights(inputs * outputs);
        float[] weightScales = new float[outputs];
        int[] bias = new int[outputs];
        Requantization r = requantization(weights, inputs, outputs, weightScales, bias, activation);
        QuantizedDense layer = new QuantizedDense(inputs, outputs, activation, weights, weightScales, bias, r.multiplier(),
                r.shift(), quant.scale(), quant.zeroPoint(), r.preActivation().scale(), r.preActivation().zeroPoint(),
                r.output().scale(), r.output().zeroPoint(), r.clampMin(), r.clampMax(), r.lookupTable());
        dense.add(layer);
        propagate(new ScalarDenseKernel(layer), outputs);
        shape = new Shape(1, 1, outputs);
        quant = r.output();
        return this;
    }

    /** The model, with {@code goldens} golden vectors of random inputs run through the scalar reference engine. */
    public Q8Model build(String name, int goldens) {
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < shape.size(); c++) {
            labels.add("class" + c);
        }
        ModelInfo info = new ModelInfo(name, "random", labels, Double.NaN, Double.NaN, "2026-11-30T00:00:00Z", Map.of());
        Q8Model model = new Q8Model(info, input, features, dense, List.of());
        Int8Engine engine = new Int8Engine(model, DenseKernels.SCALAR);
        List<GoldenVector> vectors = new ArrayList<>();
        for (int g = 0; g < goldens; g++) {
            byte[] in = new byte[model.inputSize()];
            rnd.nextBytes(in);
            byte[] out = new byte[model.classes()];
            engine.infer(in, out);
            vectors.add(new GoldenVector(in, out));
        }
        return model.withGoldens(vectors);
    }

    private RandomCnn add(FeatureLayer layer) {
        features.add(layer);
        propagate(FeatureKernels.scalar(layer), layer.outputShape().size());
        shape = layer.outputShape();
        quant = layer.output();
        return this;
    }

    private void propagate(LayerKernel kernel, int outputs) {
        for (int i = 0; i < SAMPLES; i++) {
            byte[] out = new byte[outputs];
            kernel.apply(samples[i], out);
            samples[i] = out;
        }
    }

    private byte[] weights(int n) {
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) {
            w[i] = (byte) (rnd.nextInt(2 * weightLimit + 1) - weightLimit);
        }
        return w;
    }

    /** Scales, biases and requantization for output-major {@code rows} of {@code terms} weights. */
    private Requantization requantization(byte[] rows, int terms, int channels, float[] weightScales, int[] bias,
                                          Activation activation) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (byte[] sample : samples) {
            for (byte v : sample) {
                sum += v - quant.zeroPoint();
                squares += (double) (v - quant.zeroPoint()) * (v - quant.zeroPoint());
                n++;
            }
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(squares / n - mean * mean, 1));
        // the accumulator's standard deviation once the bias cancels its mean
        double spread = Math.sqrt(terms) * weightLimit / Math.sqrt(3) * sd;
        float weightScale = 0.01f;
        double accScale = (double) quant.scale() * weightScale;
        QuantParams pre = new QuantParams((float) (accScale * spread / 40),
                activation == Activation.RELU ? (reluZeroPoint == null ? -128 : reluZeroPoint) : rnd.nextInt(41) - 20);
        int[] multiplier = new int[channels];
        int[] shift = new int[channels];
        for (int o = 0; o < channels; o++) {
            weightScales[o] = (float) (weightScale * (0.75 + 0.5 * rnd.nextDouble()));
            long weightSum = 0;
            for (int i = 0; i < terms; i++) {
                weightSum += rows[o * terms + i];
            }
            long centred = Math.round(-weightSum * mean + rnd.nextGaussian() * spread / 4);
            int limit = QuantizedDense.maxBias(terms);
            bias[o] = (int) Math.max(-limit, Math.min(limit, centred));
            QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) quant.scale() * weightScales[o] / pre.scale());
            multiplier[o] = m.multiplier();
            shift[o] = m.shift();
        }
        QuantParams out = switch (activation) {
            case IDENTITY, RELU -> pre;
            case SIGMOID -> new QuantParams(1 / 256f, -128);
            default -> new QuantParams(1 / 128f, 0);
        };
        byte[] table = activation.needsLookupTable() ? activation.lookupTable(pre, out) : null;
        int clampMin = activation == Activation.RELU ? out.zeroPoint() : -128;
        return new Requantization(activation, multiplier, shift, pre, out, clampMin, 127, table);
    }
}
