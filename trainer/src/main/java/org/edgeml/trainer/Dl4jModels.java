package org.edgeml.trainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.edgeml.core.model.Activation;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.InputSpec;

/** Converts a trained DL4J network to what the rest of edgeml reads. */
final class Dl4jModels {
    private Dl4jModels() {}

    /**
     * The float model: DL4J stores {@code W} as [in, out]; edgeml wants output-major [out][in]. The
     * output layer becomes an identity layer giving logits (its softmax does not change the argmax).
     */
    static FloatModel toFloatModel(MultiLayerNetwork network, Activation hidden, InputSpec input,
                                   List<String> labels, Map<String, Object> metadata) {
        int count = network.getnLayers();
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            float[][] w = network.getParam(l + "_W").toFloatMatrix();
            float[] bias = network.getParam(l + "_b").toFloatVector();
            int inputs = w.length;
            int outputs = bias.length;
            float[] weights = new float[inputs * outputs];
            for (int i = 0; i < inputs; i++) {
                for (int o = 0; o < outputs; o++) {
                    weights[o * inputs + i] = w[i][o];
                }
            }
            layers.add(new DenseLayer(inputs, outputs, l == count - 1 ? Activation.IDENTITY : hidden, weights, bias));
        }
        return new FloatModel(input, layers, labels, metadata);
    }

    /** The network as DL4J's ModelSerializer writes it (without updater state). */
    static byte[] serialize(MultiLayerNetwork network) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
