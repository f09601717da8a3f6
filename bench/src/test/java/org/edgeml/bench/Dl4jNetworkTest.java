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
