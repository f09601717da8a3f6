package org.edgeml.core.model;

import java.util.List;
import java.util.Objects;
import org.edgeml.core.EdgemlException;

/**
 * A complete int8 model: what it is, how raw pixels become its int8 input, its feature layers
 * (convolutions, pools, flatten; none for a dense network), its dense layers in order, and the golden
 * vectors it must reproduce. The layers chain exactly: each layer's input shape, scale and zero point
 * are the previous layer's output ones (the first layer's are the input's: {@code height x width x channels}
 * quantized as the input quantization); a non-empty feature stack ends in a {@link Flatten} or a
 * {@link GlobalAveragePool}, whose values (NHWC order) are the first dense layer's inputs; and the last
 * dense layer gives one int8 logit per label.
 */
public record Q8Model(ModelInfo info, InputQuantization input, List<FeatureLayer> features, List<QuantizedDense> layers,
                      List<GoldenVector> goldens) {
    public static final int MAX_LAYERS = 255;

    /** A dense network: no feature layers. */
    public Q8Model(ModelInfo info, InputQuantization input, List<QuantizedDense> layers, List<GoldenVector> goldens) {
        this(info, input, List.of(), layers, goldens);
    }

    public Q8Model {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(input, "input");
        features = List.copyOf(features);
        layers = List.copyOf(layers);
        goldens = List.copyOf(goldens);
        if (features.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("a model has at most " + MAX_LAYERS + " feature layers, got " + features.size());
        }
        if (layers.isEmpty() || layers.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("a model needs 1.." + MAX_LAYERS + " layers, got " + layers.size());
        }
        Shape shape = input.shape();
        QuantParams previous = input.quantParams();
        for (int i = 0; i < features.size(); i++) {
            FeatureLayer layer = features.get(i);
            String source = i == 0 ? "the input" : "feature layer " + (i - 1);
            if (!layer.inputShape().equals(shape)) {
                throw new IllegalArgumentException("feature layer " + i + " (" + layer.kind() + ") takes " + layer.inputShape()
                        + " but " + source + " gives " + shape);
            }
            if (!layer.input().equals(previous)) {
                throw new IllegalArgumentException("feature layer " + i + " (" + layer.kind() + ") expects input "
                        + layer.input() + " but " + source + " is quantized as " + previous);
            }
            shape = layer.outputShape();
            previous = layer.output();
        }
        if (!features.isEmpty() && !(features.get(features.size() - 1) instanceof Flatten
                || features.get(features.size() - 1) instanceof GlobalAveragePool)) {
            throw new IllegalArgumentException("the feature layers end in a " + features.get(features.size() - 1).kind()
                    + ": they must end in a flatten or a global average pool before the dense layers");
        }
        int width = shape.size();
        for (int i = 0; i < layers.size(); i++) {
            QuantizedDense layer = layers.get(i);
            String source = i == 0 ? (features.isEmpty() ? "the input" : "the feature layers") : "layer " + (i - 1);
            if (layer.inputs() != width) {
                throw new IllegalArgumentException("layer " + i + " takes " + layer.inputs() + " inputs but "
                        + source + " gives " + width);
            }
            if (!layer.input().equals(previous)) {
                throw new IllegalArgumentException("layer " + i + " expects input " + layer.input() + " but "
                        + source + " is quantized as " + previous);
            }
            width = layer.outputs();
            previous = layer.output();
        }
        if (width != info.labels().size()) {
            throw new IllegalArgumentException("the last layer gives " + width + " outputs for "
                    + info.labels().size() + " labels");
        }
        for (int g = 0; g < goldens.size(); g++) {
            GoldenVector golden = goldens.get(g);
            if (golden.input().length != input.size() || golden.output().length != width) {
                throw new IllegalArgumentException("golden vector " + g + " has " + golden.input().length + " inputs and "
                        + golden.output().length + " outputs, expected " + input.size() + " and " + width);
            }
        }
    }

    /**
     * Refuses a model with convolution or pooling layers, for tools that handle dense layers only so far.
     *
     * @throws EdgemlException naming {@code what} and the feature layers it would have ignored
     */
    public void requireDenseOnly(String what) {
        if (!features.isEmpty()) {
            throw new EdgemlException(what + " handles dense layers only so far; this model starts with " + features.size()
                    + " convolution, pooling or flatten layers");
        }
    }


    public int inputSize() {
        return input.size();
    }

    public int classes() {
        return info.labels().size();
    }

    public List<String> labels() {
        return info.labels();
    }

    public QuantizedDense lastLayer() {
        return layers.get(layers.size() - 1);
    }

    public Q8Model withGoldens(List<GoldenVector> newGoldens) {
        return new Q8Model(info, input, features, layers, newGoldens);
    }

    public Q8Model withInfo(ModelInfo newInfo) {
        return new Q8Model(newInfo, input, features, layers, goldens);
    }
}
