package org.edgeml.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.model.Activation;
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
        byte[] weights = new byte[inputs * outputs];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (rnd.nextInt(255) - 127);
        }
        float[] weightScales = new float[outputs];
        int[] bias = new int[outputs];
        int[] multiplier = new int[outputs];
        int[] shift = new int[outputs];
        // |acc| is about sqrt(inputs) * 73 * 73 for uniform operands: map that to about +-64
        double accumulatorSpread = Math.sqrt(inputs) * 73 * 73;
        QuantParams pre = new QuantParams((float) (in.scale() * 0.01 * accumulatorSpread / 64), rnd.nextInt(41) - 20);
        for (int o = 0; o < outputs; o++) {
            weightScales[o] = (float) (0.01 * (0.5 + rnd.nextDouble()));
            // cancel the mean of sum(w * (x - zero point)) for inputs centred on 0, so ReLU units are not all dead
            long weightSum = 0;
            for (int i = 0; i < inputs; i++) {
                weightSum += weights[o * inputs + i];
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
        return new QuantizedDense(inputs, outputs, activation, weights, weightScales, bias, multiplier, shift,
                in.scale(), in.zeroPoint(), pre.scale(), pre.zeroPoint(), out.scale(), out.zeroPoint(), clampMin, 127, table);
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
