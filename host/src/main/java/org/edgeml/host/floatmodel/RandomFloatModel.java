package org.edgeml.host.floatmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.model.Activation;

/**
 * Float models with seeded random weights (He-initialized, biases around 0) for benchmarks and tests:
 * the shapes and arithmetic of a trained model without training one.
 */
public final class RandomFloatModel {
    private RandomFloatModel() {}

    /**
     * A 28x28 grayscale model with dense layers of {@code widths} outputs; the hidden layers use
     * {@code hidden}, the last gives logits; classes are named {@code class0, class1, ...}.
     */
    public static FloatModel create(long seed, Activation hidden, Map<String, Object> metadata, int... widths) {
        Random random = new Random(seed);
        InputSpec input = InputSpec.grayscale28();
        List<DenseLayer> layers = new ArrayList<>();
        int in = input.size();
        for (int l = 0; l < widths.length; l++) {
            int out = widths[l];
            float[] w = new float[in * out];
            float[] b = new float[out];
            double std = Math.sqrt(2.0 / in);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() * std);
            }
            for (int i = 0; i < out; i++) {
                b[i] = (float) (random.nextGaussian() * 0.1);
            }
            layers.add(new DenseLayer(in, out, l == widths.length - 1 ? Activation.IDENTITY : hidden, w, b));
            in = out;
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < in; i++) {
            labels.add("class" + i);
        }
        return new FloatModel(input, layers, labels, metadata);
    }
}
