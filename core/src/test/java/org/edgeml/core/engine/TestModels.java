package org.edgeml.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.core.model.GoldenVector;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.QuantizedMultiplier;

/** Small seeded random int8 models for tests, built directly in the integer domain. */
public final class TestModels {
    private TestModels() {}

    /**
     * An int8 model of the given widths (input side x side, then each layer) with goldens: random int8
     * weights and int32 biases, per-channel weight scales, and requantization scales chosen so the
     * accumulators spread over the int8 range instead of saturating.
     */
    public static Q8Model model(long seed, int side, Activation hidden, int... widths) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(side, side, false, 1 / 255.0, 0);
        List<QuantizedDense> layers = new ArrayList<>();
        QuantParams previous = input.quantParams();
        int width = input.size();
        for (int l = 0; l < widths.length; l++) {
            Activation activation = l == widths.length - 1 ? Activation.IDENTITY : hidden;
            layers.add(randomLayer(rnd, width, widths[l], activation, previous));
            previous = new QuantParams(layers.get(l).outputScale(), layers.get(l).outputZeroPoint());
            width = widths[l];
        }
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            labels.add("class " + c);
        }
        ModelInfo info = new ModelInfo("test-" + seed, "random", labels, 0.9, Double.NaN, "2026-11-22T00:00:00Z",
                Map.of("seed", Long.toString(seed), "calibration", "minmax"));
        Q8Model model = new Q8Model(info, input, layers, List.of());
        return model.withGoldens(goldens(model, rnd, 8));
    }

    private static QuantizedDense randomLayer(Random rnd, int inputs, int outputs, Activation activation, QuantParams in) {
        byte[] weights = randomWeights(rnd, inputs * outputs);
        float[] weightScales = new float[outputs];
        int[] bias = new int[outputs];
        Requantization r = randomRequantization(rnd, weights, inputs, weightScales, bias, activation, in);
        return new QuantizedDense(inputs, outputs, activation, weights, weightScales, bias, r.multiplier(), r.shift(),
                in.scale(), in.zeroPoint(), r.preActivation().scale(), r.preActivation().zeroPoint(),
                r.output().scale(), r.output().zeroPoint(), r.clampMin(), r.clampMax(), r.lookupTable());
    }

    /**
     * A small seeded random CNN with goldens, on a side x side input: conv2d 3x3 same (c1 channels,
     * {@code hidden}), max pool 2x2, depthwise 3x3 same stride 2 (relu), average pool 3x3 same stride 1,
     * conv2d 2x2 valid (c2 channels, identity), flatten, dense to {@code classes}.
     */
    public static Q8Model cnn(long seed, int side, Activation hidden, int c1, int c2, int classes) {
        return cnn(seed, side, 1, hidden, c1, c2, classes);
    }

    /** {@link #cnn(long, int, Activation, int, int, int)} on a {@code side x side x channels} input. */
    public static Q8Model cnn(long seed, int side, int channels, Activation hidden, int c1, int c2, int classes) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(side, side, channels, false, 1 / 255.0, 0);
        List<FeatureLayer> features = new ArrayList<>();
        Shape shape = new Shape(side, side, channels);
        QuantParams q = input.quantParams();
        features.add(randomConv(rnd, new Window(shape, 3, 3, 1, 1, Padding.SAME), c1, hidden, q));
        features.add(new MaxPool2D(new Window(last(features), 2, 2, 2, 2, Padding.VALID), features.get(0).output()));
        features.add(randomDepthwise(rnd, new Window(last(features), 3, 3, 2, 2, Padding.SAME), Activation.RELU,
                features.get(1).output()));
        features.add(new AveragePool2D(new Window(last(features), 3, 3, 1, 1, Padding.SAME), features.get(2).output()));
        features.add(randomConv(rnd, new Window(last(features), 2, 2, 1, 1, Padding.VALID), c2, Activation.IDENTITY,
                features.get(3).output()));
        features.add(new Flatten(last(features), features.get(4).output()));
        QuantizedDense dense = randomLayer(rnd, last(features).size(), classes, Activation.IDENTITY, features.get(5).output());
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            labels.add("class " + c);
        }
        ModelInfo info = new ModelInfo("cnn-" + seed, "random", labels, 0.9, Double.NaN, "2026-11-30T00:00:00Z",
                Map.of("seed", Long.toString(seed)));
        Q8Model model = new Q8Model(info, input, features, List.of(dense), List.of());
        return model.withGoldens(goldens(model, rnd, 8));
    }

    private static Shape last(List<FeatureLayer> features) {
        return features.get(features.size() - 1).outputShape();
    }

    private static QuantizedConv2D randomConv(Random rnd, Window window, int outputChannels, Activation activation, QuantParams in) {
        int terms = window.kernelHeight() * window.kernelWidth() * window.input().channels();
        byte[] weights = randomWeights(rnd, terms * outputChannels);
        float[] weightScales = new float[outputChannels];
        int[] bias = new int[outputChannels];
        Requantization r = randomRequantization(rnd, weights, terms, weightScales, bias, activation, in);
        return new QuantizedConv2D(window, outputChannels, weights, weightScales, bias, in, r);
    }

    private static QuantizedDepthwiseConv2D randomDepthwise(Random rnd, Window window, Activation activation, QuantParams in) {
        int channels = window.input().channels();
        int terms = window.kernelHeight() * window.kernelWidth();
        byte[] weights = randomWeights(rnd, terms * channels);
        // regroup [kh][kw][C] into per-channel rows for the shared helper, then back
        byte[] rows = new byte[weights.length];
        for (int k = 0; k < terms; k++) {
            for (int c = 0; c < channels; c++) {
                rows[c * terms + k] = weights[k * channels + c];
            }
        }
        float[] weightScales = new float[channels];
        int[] bias = new int[channels];
        Requantization r = randomRequantization(rnd, rows, terms, weightScales, bias, activation, in);
        return new QuantizedDepthwiseConv2D(window, weights, weightScales, bias, in, r);
    }

    private static byte[] randomWeights(Random rnd, int n) {
        byte[] weights = new byte[n];
        for (int i = 0; i < n; i++) {
            weights[i] = (byte) (rnd.nextInt(255) - 127);
        }
        return weights;
    }

    /** Fills weight scales and biases for output-major {@code rows} of {@code terms} weights; returns the requantization. */
    private static Requantization randomRequantization(Random rnd, byte[] rows, int terms, float[] weightScales, int[] bias,
                                                       Activation activation, QuantParams in) {
        int channels = bias.length;
        // |acc| is about sqrt(terms) * 73 * 73 for uniform operands: map that to about +-64
        double accumulatorSpread = Math.sqrt(terms) * 73 * 73;
        QuantParams pre = new QuantParams((float) (in.scale() * 0.01 * accumulatorSpread / 64), rnd.nextInt(41) - 20);
        int[] multiplier = new int[channels];
        int[] shift = new int[channels];
        for (int o = 0; o < channels; o++) {
            weightScales[o] = (float) (0.01 * (0.5 + rnd.nextDouble()));
            // cancel the mean of sum(w * (x - zero point)) for inputs centred on 0, so ReLU units are not all dead
            long weightSum = 0;
            for (int i = 0; i < terms; i++) {
                weightSum += rows[o * terms + i];
            }
            bias[o] = (int) (Math.round(weightSum * (0.5 + in.zeroPoint())) + rnd.nextGaussian() * accumulatorSpread / 4);
            QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) in.scale() * weightScales[o] / pre.scale());
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

    public static List<GoldenVector> goldens(Q8Model model, Random rnd, int count) {
        Int8Engine engine = new Int8Engine(model);
        List<GoldenVector> goldens = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            byte[] in = new byte[model.inputSize()];
            engine.quantizeInput(randomPixels(rnd, in.length), in);
            byte[] out = new byte[model.classes()];
            engine.infer(in, out);
            goldens.add(new GoldenVector(in, out));
        }
        return goldens;
    }

    public static byte[] randomPixels(Random rnd, int n) {
        byte[] p = new byte[n];
        rnd.nextBytes(p);
        return p;
    }
}
