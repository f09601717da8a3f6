package org.edgeml.host.floatmodel;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.edgeml.core.model.Shape;

/**
 * A trained float network as the quantizer sees it, independent of DL4J: the input it expects, its
 * feature layers (convolutions, pools, flatten; none for a dense network), its dense layers in order,
 * and the class labels. {@code metadata} carries free-form facts about training (dataset, recipe,
 * accuracies) that are copied into reports and the int8 model.
 *
 * <p>The layers chain exactly: the first feature layer takes the input's {@code H x W x C}, each takes
 * the previous one's output shape, a non-empty feature stack ends in a flatten or a global average pool
 * (so its output is {@code 1 x 1 x N}), the first dense layer takes that {@code N} (or, with no feature
 * layers, the input's {@code H*W*C} values in HWC order), and the last dense layer gives one logit per
 * label. This is the int8 model's structure ({@code org.edgeml.core.model.Q8Model}) in float.
 */
public record FloatModel(InputSpec input, List<FloatFeatureLayer> features, List<DenseLayer> layers, List<String> labels,
                         Map<String, Object> metadata) {

    public FloatModel {
        Objects.requireNonNull(input, "input");
        features = List.copyOf(features);
        layers = List.copyOf(layers);
        labels = List.copyOf(labels);
        metadata = Map.copyOf(metadata);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one dense layer");
        }
        Shape shape = input.shape();
        for (int i = 0; i < features.size(); i++) {
            FloatFeatureLayer layer = features.get(i);
            if (!layer.inputShape().equals(shape)) {
                throw new IllegalArgumentException("feature layer " + i + " (" + layer.kind() + ") takes " + layer.inputShape()
                        + " but " + (i == 0 ? "the input" : "feature layer " + (i - 1)) + " gives " + shape);
            }
            shape = layer.outputShape();
        }
        if (!features.isEmpty()) {
            FloatFeatureLayer last = features.get(features.size() - 1);
            if (!(last instanceof FlattenLayer || last instanceof GlobalAveragePoolLayer)) {
                throw new IllegalArgumentException("the feature layers end in a " + last.kind()
                        + ": they must end in a flatten or a global average pool before the dense layers");
            }
        }
        int width = shape.size();
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer layer = layers.get(i);
            if (layer.inputs() != width) {
                String source = i == 0 ? (features.isEmpty() ? "the input" : "the feature layers") : "layer " + (i - 1);
                throw new IllegalArgumentException("layer " + i + " takes " + layer.inputs() + " inputs but "
                        + source + " gives " + width);
            }
            width = layer.outputs();
        }
        if (width != labels.size()) {
            throw new IllegalArgumentException("the last layer gives " + width + " outputs for "
                    + labels.size() + " labels");
        }
    }

    /** A dense network: no feature layers. */
    public FloatModel(InputSpec input, List<DenseLayer> layers, List<String> labels, Map<String, Object> metadata) {
        this(input, List.of(), layers, labels, metadata);
    }

    public boolean isDenseOnly() {
        return features.isEmpty();
    }


    /** Float32 bytes of all weights and biases: the size an int8 model is compared with. */
    public long floatWeightBytes() {
        return 4 * parameterCount();
    }

    public long parameterCount() {
        long n = 0;
        for (FloatFeatureLayer layer : features) {
            n += layer.parameterCount();
        }
        for (DenseLayer layer : layers) {
            n += layer.parameterCount();
        }
        return n;
    }

    public FloatModel withMetadata(Map<String, Object> newMetadata) {
        return new FloatModel(input, features, layers, labels, newMetadata);
    }
}
