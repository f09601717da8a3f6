package org.edgeml.host.floatmodel;

import java.util.List;
import org.edgeml.core.model.Activation;

/**
 * The float forward pass of a {@link FloatModel} in plain Java: what the quantizer calibrates with and
 * what the int8 model is checked against. The last layer's outputs are logits (softmax is monotone, so
 * the predicted class is their argmax).
 */
public final class FloatNetwork {
    private final FloatModel model;
    private final List<DenseLayer> layers;

    public FloatNetwork(FloatModel model) {
        this.model = model;
        this.layers = model.layers();
    }

    public FloatModel model() {
        return model;
    }

    /** The model input for raw 0..255 pixels (row-major, one byte each), normalized by the input spec. */
    public float[] input(byte[] rawPixels) {
        InputSpec spec = model.input();
        if (rawPixels.length != spec.size()) {
            throw new IllegalArgumentException("image has " + rawPixels.length + " pixels, the model expects "
                    + spec.height() + "x" + spec.width() + " = " + spec.size());
        }
        float[] x = new float[rawPixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) spec.normalize(rawPixels[i] & 0xFF);
        }
        return x;
    }

    public float[] logits(float[] input) {
        float[] x = input;
        for (DenseLayer layer : layers) {
            x = activate(layer.activation(), affine(layer, x));
        }
        return x;
    }

    /** Each layer's output after its activation; the last entry is the logits. */
    public float[][] activations(float[] input) {
        float[][] out = new float[layers.size()][];
        float[] x = input;
        for (int l = 0; l < layers.size(); l++) {
            x = activate(layers.get(l).activation(), affine(layers.get(l), x));
            out[l] = x;
        }
        return out;
    }

    /** Each layer's output before its activation ({@code bias + W x}): the input of a lookup-table activation. */
    public float[][] preActivations(float[] input) {
        float[][] out = new float[layers.size()][];
        float[] x = input;
        for (int l = 0; l < layers.size(); l++) {
            out[l] = affine(layers.get(l), x);
            x = activate(layers.get(l).activation(), out[l]);
        }
        return out;
    }

    public int classify(float[] input) {
        return argmax(logits(input));
    }

    public int classify(byte[] rawPixels) {
        return classify(input(rawPixels));
    }

    /** The index of the largest value (the first one on ties). */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static float[] affine(DenseLayer layer, float[] x) {
        int n = layer.inputs();
        if (x.length != n) {
            throw new IllegalArgumentException("layer takes " + n + " inputs, got " + x.length);
        }
        float[] w = layer.weights();
        float[] y = new float[layer.outputs()];
        for (int o = 0, row = 0; o < y.length; o++, row += n) {
            float sum = 0;
            for (int i = 0; i < n; i++) {
                sum += w[row + i] * x[i];
            }
            y[o] = sum + layer.bias()[o];
        }
        return y;
    }

    private static float[] activate(Activation activation, float[] z) {
        if (activation == Activation.IDENTITY) {
            return z;
        }
        float[] y = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            y[i] = (float) activation.apply(z[i]);
        }
        return y;
    }
}
