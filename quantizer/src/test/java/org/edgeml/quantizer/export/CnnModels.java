package org.edgeml.quantizer.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.engine.TestModels;
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
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * Int8 CNNs for the export-c tests, built from core's records with seeded random weights (no
 * quantizer involved), so the C code is checked against the Java engine on every layer kind.
 */
final class CnnModels {
    private CnnModels() {}

    /**
     * A 20x17 grey input through every feature layer kind: conv2d 3x3 same (relu), conv2d 3x3 same
     * stride 2 (sigmoid, a lookup table; odd padding), max pool 2x2, depthwise 3x3 same (relu), average
     * pool 3x3 same stride 2 (windows cut by the padding), conv2d 2x1 valid (tanh), global average pool,
     * flatten, then dense 12-16 (relu) and 16-5.
     */
    static Q8Model everyKind(long seed) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(20, 17, false, 1 / 255.0, 0);
        Layers f = new Layers(rnd, new Shape(20, 17, 1), input.quantParams());
        f.conv(new Window(f.shape(), 3, 3, 1, 1, Padding.SAME), 8, Activation.RELU);
        f.conv(new Window(f.shape(), 3, 3, 2, 2, Padding.SAME), 8, Activation.SIGMOID);
        f.add(new MaxPool2D(new Window(f.shape(), 2, 2, 2, 2, Padding.VALID), f.quant()));
        f.depthwise(new Window(f.shape(), 3, 3, 1, 1, Padding.SAME), Activation.RELU);
        f.add(new AveragePool2D(new Window(f.shape(), 3, 3, 2, 2, Padding.SAME), f.quant()));
        f.conv(new Window(f.shape(), 2, 1, 1, 1, Padding.VALID), 12, Activation.TANH);
        f.add(new GlobalAveragePool(f.shape(), f.quant()));
        f.add(new Flatten(f.shape(), f.quant()));
        QuantizedDense hidden = dense(rnd, f.shape().size(), 16, Activation.RELU, f.quant());
        QuantizedDense last = dense(rnd, 16, 5, Activation.IDENTITY, hidden.output());
        return withGoldens(rnd, "every kind " + seed, input, f.layers, List.of(hidden, last));
    }

    /**
     * A 13x11x3 colour (RGB) input: depthwise 3x3 same on R, G and B (relu), conv2d 3x3 same stride 2 over
     * the three channels (tanh), max pool 2x2 same, conv2d 1x1 (relu), flatten, dense 5.
     */
    static Q8Model colour(long seed) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(13, 11, 3, false, 1 / 255.0, 0);
        Layers f = new Layers(rnd, new Shape(13, 11, 3), input.quantParams());
        f.depthwise(new Window(f.shape(), 3, 3, 1, 1, Padding.SAME), Activation.RELU);
        f.conv(new Window(f.shape(), 3, 3, 2, 2, Padding.SAME), 6, Activation.TANH);
        f.add(new MaxPool2D(new Window(f.shape(), 2, 2, 2, 2, Padding.SAME), f.quant()));
        f.conv(new Window(f.shape(), 1, 1, 1, 1, Padding.VALID), 4, Activation.RELU);
        f.add(new Flatten(f.shape(), f.quant()));
        return withGoldens(rnd, "colour " + seed, input, f.layers,
                List.of(dense(rnd, f.shape().size(), 5, 1, Activation.IDENTITY, f.quant())));
    }

    /**
     * Dense-only maxout on a 6x5 grey input: maxout 30->12 of 4 pieces (identity), 12->10 of 3 pieces
     * (ReLU, clamped before the max), 10->8 of 2 pieces (tanh, a lookup table after the max), then a plain
     * 8->4 layer.
     */
    static Q8Model maxoutDense(long seed) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(6, 5, false, 1 / 255.0, 0);
        QuantizedDense a = dense(rnd, 30, 12, 4, Activation.IDENTITY, input.quantParams());
        QuantizedDense b = dense(rnd, 12, 10, 3, Activation.RELU, a.output());
        QuantizedDense c = dense(rnd, 10, 8, 2, Activation.TANH, b.output());
        QuantizedDense last = dense(rnd, 8, 4, 1, Activation.IDENTITY, c.output());
        return withGoldens(rnd, "maxout dense " + seed, input, List.of(), List.of(a, b, c, last));
    }

    /** A 10x9 input: conv2d 3x3 same (relu), max pool 2x2, flatten, maxout 40->9 of 5 pieces (sigmoid), maxout 9->3 of 2 pieces. */
    static Q8Model cnnMaxout(long seed) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(10, 9, false, 1 / 255.0, 0);
        Layers f = new Layers(rnd, new Shape(10, 9, 1), input.quantParams());
        f.conv(new Window(f.shape(), 3, 3, 1, 1, Padding.SAME), 2, Activation.RELU);
        f.add(new MaxPool2D(new Window(f.shape(), 2, 2, 2, 2, Padding.VALID), f.quant()));
        f.add(new Flatten(f.shape(), f.quant()));
        QuantizedDense hidden = dense(rnd, f.shape().size(), 9, 5, Activation.SIGMOID, f.quant());
        QuantizedDense last = dense(rnd, 9, 3, 2, Activation.IDENTITY, hidden.output());
        return withGoldens(rnd, "cnn maxout " + seed, input, f.layers, List.of(hidden, last));
    }

    /** A 9x7 input flattened straight into one dense layer: flatten is the only feature layer. */
    static Q8Model flattenOnly(long seed) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(9, 7, true, 1 / 255.0, 0);
        Flatten flatten = new Flatten(new Shape(9, 7, 1), input.quantParams());
        return withGoldens(rnd, "flatten only " + seed, input, List.of(flatten),
                List.of(dense(rnd, 63, 4, Activation.IDENTITY, input.quantParams())));
    }

    /**
     * A random stack on a random input of 8..24 x 8..24: a conv2d (2 to 6 output channels), then 2 to 7
     * layers among conv2d, depthwise conv2d, max pool and average pool with kernels 1..4 per side,
     * strides 1..3 per side (mostly 1 or 2) and either padding (same where valid does not fit), and now
     * and then a flatten in the middle; ending in a global average pool or a flatten, then one or two
     * dense layers.
     */
    static Q8Model random(long seed) {
        Random rnd = new Random(seed);
        int height = 8 + rnd.nextInt(17);
        int width = 8 + rnd.nextInt(17);
        InputQuantization input = InputQuantization.covering(height, width, rnd.nextBoolean(), 1 / 255.0, 0);
        Layers f = new Layers(rnd, new Shape(height, width, 1), input.quantParams());
        Activation[] activations = {Activation.RELU, Activation.IDENTITY, Activation.TANH, Activation.SIGMOID};
        f.conv(randomWindow(rnd, f.shape()), 2 + rnd.nextInt(5), activations[rnd.nextInt(activations.length)]);
        int count = 2 + rnd.nextInt(6);
        for (int i = 0; i < count; i++) {
            int kind = rnd.nextInt(13);
            if (kind == 12) {
                f.add(new Flatten(f.shape(), f.quant()));
                continue;
            }
            Window window = randomWindow(rnd, f.shape());
            Activation activation = activations[rnd.nextInt(activations.length)];
            switch (kind % 4) {
                case 0 -> f.conv(window, 1 + rnd.nextInt(6), activation);
                case 1 -> f.depthwise(window, activation);
                case 2 -> f.add(new MaxPool2D(window, f.quant()));
                default -> f.add(new AveragePool2D(window, f.quant()));
            }
        }
        f.add(rnd.nextBoolean() ? new GlobalAveragePool(f.shape(), f.quant()) : new Flatten(f.shape(), f.quant()));
        List<QuantizedDense> layers = new ArrayList<>();
        QuantParams quant = f.quant();
        int inputs = f.shape().size();
        int denseCount = 1 + rnd.nextInt(2);
        for (int l = 0; l < denseCount; l++) {
            boolean last = l == denseCount - 1;
            QuantizedDense layer = dense(rnd, inputs, last ? 2 + rnd.nextInt(5) : 4 + rnd.nextInt(12),
                    last ? Activation.IDENTITY : Activation.RELU, quant);
            layers.add(layer);
            quant = layer.output();
            inputs = layer.outputs();
        }
        return withGoldens(rnd, "random " + seed, input, f.layers, layers);
    }

    private static Window randomWindow(Random rnd, Shape in) {
        int kernelHeight = 1 + rnd.nextInt(4);
        int kernelWidth = 1 + rnd.nextInt(4);
        boolean validFits = kernelHeight <= in.height() && kernelWidth <= in.width();
        Padding padding = validFits && rnd.nextBoolean() ? Padding.VALID : Padding.SAME;
        return new Window(in, kernelHeight, kernelWidth, randomStride(rnd), randomStride(rnd), padding);
    }

    private static int randomStride(Random rnd) {
        return rnd.nextInt(6) == 0 ? 3 : 1 + rnd.nextInt(2);
    }

    private static Q8Model withGoldens(Random rnd, String name, InputQuantization input, List<FeatureLayer> features,
                                       List<QuantizedDense> layers) {
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < layers.get(layers.size() - 1).outputs(); c++) {
            labels.add("class " + c);
        }
        ModelInfo info = new ModelInfo(name, "random", labels, Double.NaN, Double.NaN, "2026-11-30T00:00:00Z", Map.of());
        Q8Model model = new Q8Model(info, input, features, layers, List.<GoldenVector>of());
        return model.withGoldens(TestModels.goldens(model, rnd, 8));
    }

    /** A feature stack under construction: each layer takes the shape and quantization of the one before. */
    private static final class Layers {
        final Random rnd;
        final List<FeatureLayer> layers = new ArrayList<>();
        final Shape inputShape;
        final QuantParams inputQuant;

        Layers(Random rnd, Shape inputShape, QuantParams inputQuant) {
            this.rnd = rnd;
            this.inputShape = inputShape;
            this.inputQuant = inputQuant;
        }

        Shape shape() {
            return layers.isEmpty() ? inputShape : layers.get(layers.size() - 1).outputShape();
        }

        QuantParams quant() {
            return layers.isEmpty() ? inputQuant : layers.get(layers.size() - 1).output();
        }

        void add(FeatureLayer layer) {
            layers.add(layer);
        }

        void conv(Window window, int outputChannels, Activation activation) {
            int terms = window.kernelHeight() * window.kernelWidth() * window.input().channels();
            byte[] weights = weights(rnd, terms * outputChannels);
            int[] bias = new int[outputChannels];
            Requantization r = requantization(rnd, weights, terms, bias, activation, quant());
            add(new QuantizedConv2D(window, outputChannels, weights, scales(outputChannels), bias, quant(), r));
        }

        void depthwise(Window window, Activation activation) {
            int channels = window.input().channels();
            int terms = window.kernelHeight() * window.kernelWidth();
            byte[] weights = weights(rnd, terms * channels); // [kh][kw][C]
            byte[] rows = new byte[weights.length]; // the same weights as [C][kh*kw], one row per channel
            for (int k = 0; k < terms; k++) {
                for (int c = 0; c < channels; c++) {
                    rows[c * terms + k] = weights[k * channels + c];
                }
            }
            int[] bias = new int[channels];
            Requantization r = requantization(rnd, rows, terms, bias, activation, quant());
            add(new QuantizedDepthwiseConv2D(window, weights, scales(channels), bias, quant(), r));
        }
    }

    private static QuantizedDense dense(Random rnd, int inputs, int outputs, Activation activation, QuantParams in) {
        return dense(rnd, inputs, outputs, 1, activation, in);
    }

    /** A dense layer, or with {@code pieces > 1} a maxout layer: every row its own channel, sharing the pre-activation. */
    private static QuantizedDense dense(Random rnd, int inputs, int outputs, int pieces, Activation activation, QuantParams in) {
        int rows = outputs * pieces;
        byte[] weights = weights(rnd, inputs * rows);
        int[] bias = new int[rows];
        Requantization r = requantization(rnd, weights, inputs, bias, activation, in);
        return new QuantizedDense(inputs, outputs, activation, weights, scales(rows), bias, r.multiplier(), r.shift(),
                in.scale(), in.zeroPoint(), r.preActivation().scale(), r.preActivation().zeroPoint(),
                r.output().scale(), r.output().zeroPoint(), r.clampMin(), r.clampMax(), r.lookupTable(), pieces);
    }

    private static byte[] weights(Random rnd, int n) {
        byte[] weights = new byte[n];
        for (int i = 0; i < n; i++) {
            weights[i] = (byte) (rnd.nextInt(255) - 127);
        }
        return weights;
    }

    private static float[] scales(int channels) {
        float[] scales = new float[channels];
        java.util.Arrays.fill(scales, 0.01f);
        return scales;
    }

    /**
     * Biases that centre each channel's accumulator (output-major {@code rows} of {@code terms} weights)
     * and per-channel multipliers that spread it over about +-64 of the int8 range, so that neither the
     * clamp nor the activation tables saturate everything.
     */
    private static Requantization requantization(Random rnd, byte[] rows, int terms, int[] bias, Activation activation,
                                                 QuantParams in) {
        int channels = bias.length;
        double spread = Math.sqrt(terms) * 73 * 73; // |sum of terms products| for uniform int8 operands
        QuantParams pre = new QuantParams(1 / 16f, rnd.nextInt(41) - 20); // real -8..8: the activation tables curve
        int[] multiplier = new int[channels];
        int[] shift = new int[channels];
        for (int o = 0; o < channels; o++) {
            long weightSum = 0;
            for (int i = 0; i < terms; i++) {
                weightSum += rows[o * terms + i];
            }
            bias[o] = (int) (Math.round(weightSum * (0.5 + in.zeroPoint())) + rnd.nextGaussian() * spread / 4);
            var m = FixedPoint.quantizeMultiplier(64 / spread * (0.5 + rnd.nextDouble()));
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
