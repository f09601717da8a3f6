package org.edgeml.runtime.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.runtime.model.Activation;
import org.edgeml.runtime.model.GoldenVector;
import org.edgeml.runtime.model.InputQuantization;
import org.edgeml.runtime.model.ModelInfo;
import org.edgeml.runtime.model.Q8Model;
import org.edgeml.runtime.model.QuantParams;
import org.edgeml.runtime.model.QuantizedDense;

/** Small seeded int8 models for tests, quantized from random float layers with min/max calibration. */
public final class TestModels {
    private TestModels() {}

    /** A random float layer: weights output-major. */
    public record FloatLayer(int inputs, int outputs, Activation activation, float[] weights, float[] bias) {
        public static FloatLayer random(Random rnd, int inputs, int outputs, Activation activation) {
            float[] w = new float[inputs * outputs];
            float[] b = new float[outputs];
            double limit = Math.sqrt(6.0 / (inputs + outputs));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
            }
            for (int o = 0; o < outputs; o++) {
                b[o] = (float) (rnd.nextGaussian() * 0.1);
            }
            return new FloatLayer(inputs, outputs, activation, w, b);
        }

        public double preActivation(double[] x, int o) {
            double sum = bias[o];
            for (int i = 0; i < inputs; i++) {
                sum += weights[o * inputs + i] * x[i];
            }
            return sum;
        }

        public double[] forward(double[] x) {
            double[] y = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                y[o] = activation.apply(preActivation(x, o));
            }
            return y;
        }
    }

    /** An int8 model of the given widths (input side x side, then each layer) with goldens. */
    public static Q8Model model(long seed, int side, Activation hidden, int... widths) {
        Random rnd = new Random(seed);
        InputQuantization input = InputQuantization.covering(side, side, false, 1 / 255.0, 0);
        List<double[]> samples = new ArrayList<>();
        for (int s = 0; s < 32; s++) {
            samples.add(normalized(input, randomPixels(rnd, input.size())));
        }
        List<QuantizedDense> layers = new ArrayList<>();
        QuantParams previous = input.quantParams();
        int width = input.size();
        for (int l = 0; l < widths.length; l++) {
            Activation activation = l == widths.length - 1 ? Activation.IDENTITY : hidden;
            FloatLayer layer = FloatLayer.random(rnd, width, widths[l], activation);
            QuantParams pre = range(samples, x -> {
                double[] p = new double[layer.outputs()];
                for (int o = 0; o < p.length; o++) {
                    p[o] = layer.preActivation(x, o);
                }
                return p;
            });
            List<double[]> next = new ArrayList<>();
            for (double[] x : samples) {
                next.add(layer.forward(x));
            }
            QuantParams out = range(next, x -> x);
            layers.add(DenseQuantizer.quantize(layer.inputs(), layer.outputs(), activation, layer.weights(), layer.bias(),
                    previous, pre, out));
            samples = next;
            previous = out;
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

    static double[] normalized(InputQuantization input, byte[] pixels) {
        double[] x = new double[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = input.normalize(pixels[i] & 0xFF);
        }
        return x;
    }

    private static QuantParams range(List<double[]> samples, java.util.function.Function<double[], double[]> f) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] x : samples) {
            for (double v : f.apply(x)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return QuantParams.fromRange(min, max);
    }
}
