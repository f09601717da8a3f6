package org.edgeml.host.floatmodel;

import java.util.List;
import org.edgeml.core.model.Activation;

/**
 * The float forward pass of a {@link FloatModel} in plain Java: what the quantizer calibrates with and
 * what the int8 model is checked against. Activations are NHWC, batch 1. The last layer's outputs are
 * logits (softmax is monotone, so the predicted class is their argmax).
 */
public final class FloatNetwork {
    private final FloatModel model;
    private final List<FloatFeatureLayer> features;
    private final List<DenseLayer> layers;

    public FloatNetwork(FloatModel model) {
        this.model = model;
        this.features = model.features();
        this.layers = model.layers();
    }

    public FloatModel model() {
        return model;
    }

    /**
     * The model input for raw 0..255 values ({@code height x width x channels} bytes in HWC order),
     * normalized by the input spec.
     */
    public float[] input(byte[] rawPixels) {
        InputSpec spec = model.input();
        if (rawPixels.length != spec.size()) {
            throw new IllegalArgumentException("image has " + rawPixels.length + " values, the model expects "
                    + spec.height() + "x" + spec.width() + "x" + spec.channels() + " = " + spec.size());
        }
        float[] x = new float[rawPixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) spec.normalize(rawPixels[i] & 0xFF);
        }
        return x;
    }

    public float[] logits(float[] input) {
        float[] x = input;
        for (FloatFeatureLayer layer : features) {
            x = activate(layer.activation(), layer.linear(x));
        }
        for (DenseLayer layer : layers) {
            x = activate(layer.activation(), layer.linear(x));
        }
        return x;
    }

    /** Every layer's values for one input: what calibration records. */
    public Trace trace(float[] input) {
        float[][] featurePre = new float[features.size()][];
        float[][] featureOut = new float[features.size()][];
        float[][] densePre = new float[layers.size()][];
        float[][] denseOut = new float[layers.size()][];
        float[] x = input;
        for (int l = 0; l < features.size(); l++) {
            featurePre[l] = features.get(l).linear(x);
            x = featureOut[l] = activate(features.get(l).activation(), featurePre[l]);
        }
        for (int l = 0; l < layers.size(); l++) {
            densePre[l] = layers.get(l).linear(x);
            x = denseOut[l] = activate(layers.get(l).activation(), densePre[l]);
        }
        return new Trace(featurePre, featureOut, densePre, denseOut);
    }

    /**
     * One input's values through the network: per feature layer and per dense layer, the values before
     * the activation ({@code pre}: a layer's linear part, for maxout the largest piece; for pools and
     * flatten the output itself) and after it ({@code out}). The last dense output is the logits.
     */
    public record Trace(float[][] featurePre, float[][] featureOut, float[][] densePre, float[][] denseOut) {
        public float[] logits() {
            return denseOut[denseOut.length - 1];
        }
    }

    /** Each dense layer's output after its activation; the last entry is the logits. */
    public float[][] activations(float[] input) {
        return trace(input).denseOut();
    }

    /** Each dense layer's output before its activation ({@code bias + W x}): the input of a lookup-table activation. */
    public float[][] preActivations(float[] input) {
        return trace(input).densePre();
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
