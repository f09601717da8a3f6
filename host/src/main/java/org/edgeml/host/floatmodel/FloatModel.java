package org.edgeml.host.floatmodel;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained float network as the quantizer sees it, independent of DL4J: the input it expects, the
 * dense layers in order, and the class labels. {@code metadata} carries free-form facts about training
 * (dataset, recipe, accuracies) that are copied into reports and the int8 model.
 */
public record FloatModel(InputSpec input, List<DenseLayer> layers, List<String> labels, Map<String, Object> metadata) {

    public FloatModel {
        Objects.requireNonNull(input, "input");
        layers = List.copyOf(layers);
        labels = List.copyOf(labels);
        metadata = Map.copyOf(metadata);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
        int width = input.size();
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer layer = layers.get(i);
            if (layer.inputs() != width) {
                throw new IllegalArgumentException("layer " + i + " takes " + layer.inputs()
                        + " inputs but the previous layer gives " + width);
            }
            width = layer.outputs();
        }
        if (width != labels.size()) {
            throw new IllegalArgumentException("the last layer gives " + width + " outputs for "
                    + labels.size() + " labels");
        }
    }

    /** Float32 bytes of all weights and biases: the size an int8 model is compared with. */
    public long floatWeightBytes() {
        long n = 0;
        for (DenseLayer layer : layers) {
            n += 4L * (layer.weights().length + layer.bias().length);
        }
        return n;
    }

    public long parameterCount() {
        return floatWeightBytes() / 4;
    }
}
