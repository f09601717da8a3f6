package org.edgeml.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Activation;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The rebuilt DL4J network computes what the float model does (its softmax keeps the argmax). */
class Dl4jNetworkTest {
    @Test
    void dl4jClassifiesLikeTheJavaFloatNetwork() {
        FloatModel model = BenchModel.randomFloatModel(4, 32, 10);
        FloatNetwork network = new FloatNetwork(model);
        MultiLayerNetwork dl4j = Dl4jNetwork.of(model);
        LabeledImages images = BenchModel.blobImages(model, 100, 8);
        float[][] batch = new float[images.count()][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = network.input(images.image(i));
        }
        INDArray out = dl4j.output(Nd4j.create(batch));
        for (int i = 0; i < batch.length; i++) {
            assertEquals(network.classify(batch[i]), out.getRow(i).argMax().getInt(0), "image " + i);
        }
    }

    /**
     * CNNs rebuilt in DL4J (NCHW, its own padding and pooling) compute FloatNetwork's logits: DL4J's softmax
     * of them equals the softmax of FloatNetwork's within float rounding.
     */
    @Test
    void dl4jCnnsComputeTheJavaFloatNetworksLogits() {
        java.util.List<FloatModel> models = java.util.List.of(
                RandomFloatCnn.preset(4),
                new RandomFloatCnn(5, 13, 11, 3)
                        .conv(3, 2, 2, 1, org.edgeml.core.model.Padding.VALID, 6, org.edgeml.core.model.Activation.TANH)
                        .depthwise(3, 3, 2, 2, org.edgeml.core.model.Padding.SAME, org.edgeml.core.model.Activation.RELU)
                        .averagePool(3, 2, 1, 2, org.edgeml.core.model.Padding.SAME)
                        .conv(1, 1, 1, 1, org.edgeml.core.model.Padding.VALID, 12, org.edgeml.core.model.Activation.RELU)
                        .globalAveragePool().dense(5, 1, org.edgeml.core.model.Activation.IDENTITY).build(),
                new RandomFloatCnn(6, 9, 16, 3)
                        .conv(5, 5, 1, 2, org.edgeml.core.model.Padding.SAME, 4, org.edgeml.core.model.Activation.RELU)
                        .maxPool(3, 2, org.edgeml.core.model.Padding.SAME)
                        .averagePool(2, 2, 2, 2, org.edgeml.core.model.Padding.VALID)
                        .flatten().dense(7, 1, org.edgeml.core.model.Activation.SIGMOID)
                        .dense(3, 1, org.edgeml.core.model.Activation.IDENTITY).build());
        java.util.Random rnd = new java.util.Random(9);
        for (FloatModel model : models) {
            FloatNetwork network = new FloatNetwork(model);
            MultiLayerNetwork dl4j = Dl4jNetwork.of(model);
            for (int n = 0; n < 10; n++) {
                byte[] pixels = new byte[model.input().size()];
                rnd.nextBytes(pixels);
                float[] x = network.input(pixels);
                float[] logits = network.logits(x);
                double max = Double.NEGATIVE_INFINITY;
                for (float v : logits) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (float v : logits) {
                    sum += Math.exp(v - max);
                }
                INDArray out = dl4j.output(Nd4j.create(new float[][] {Dl4jNetwork.chw(model, x)}));
                for (int c = 0; c < logits.length; c++) {
                    assertEquals(Math.exp(logits[c] - max) / sum, out.getDouble(0, c), 1e-4, model.features() + " input " + n + " class " + c);
                }
            }
        }
    }

    /** Maxout hidden layers (identity, ReLU, tanh) and maxout logits: DL4J gives FloatNetwork's logits within float rounding. */
    @Test
    void dl4jRunsMaxoutLayersLikeTheJavaFloatNetwork() {
        FloatModel model = new RandomFloatCnn(6, 10, 9, 1).dense(16, 3, Activation.IDENTITY).dense(12, 2, Activation.RELU)
                .dense(10, 4, Activation.TANH).dense(5, 2, Activation.IDENTITY).build();
        FloatNetwork network = new FloatNetwork(model);
        MultiLayerNetwork dl4j = Dl4jNetwork.of(model);
        LabeledImages images = BenchModel.blobImages(model, 50, 9);
        float[][] batch = new float[images.count()][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = network.input(images.image(i));
        }
        INDArray out = dl4j.output(Nd4j.create(batch));
        for (int i = 0; i < batch.length; i++) {
            float[] expected = network.logits(batch[i]);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], out.getFloat(i, c), 1e-4 * Math.max(1, Math.abs(expected[c])), "image " + i + " class " + c);
            }
        }
    }
}
