package org.edgeml.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Activation;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.floatmodel.InputSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plain-Java forward pass computes what DL4J computes, for every hidden activation. */
class FloatNetworkEquivalenceTest {

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "LEAKYRELU", "TANH", "SIGMOID", "ELU", "GELU"})
    void logitsMatchDl4j(Activation activation) {
        TrainingRecipe recipe = new TrainingRecipe(List.of(48, 24), activation, 0, 0, Optimizer.ADAM, 1e-3, 1, 32, 7, 0, 1.0);
        MultiLayerNetwork network = NetworkFactory.create(recipe, 784, 10, 100);
        // Untrained weights are small; scale them up so negative pre-activations and the curved parts
        // of each activation are exercised.
        network.params().muli(3);
        FloatModel model = Dl4jModels.toFloatModel(network, activation, InputSpec.grayscale28(), SyntheticData.LABELS,
                java.util.Map.of());
        FloatNetwork floats = new FloatNetwork(model);

        LabeledImages images = SyntheticData.images(20, 3);
        ImageMatrix matrix = new ImageMatrix(images, 10);
        INDArray probabilities = network.output(matrix.features, false);
        for (int n = 0; n < images.count(); n++) {
            float[] logits = floats.logits(floats.input(images.image(n)));
            float[] expected = probabilities.getRow(n).toFloatVector();
            assertArrayEquals(expected, softmax(logits), 1e-4f, activation + " image " + n);
            assertEquals(Nd4j.argMax(probabilities.getRow(n)).getInt(0), floats.classify(images.image(n)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "LEAKYRELU", "TANH", "SIGMOID", "ELU", "GELU"})
    void hiddenActivationsMatchDl4j(Activation activation) {
        TrainingRecipe recipe = new TrainingRecipe(List.of(32), activation, 0, 0, Optimizer.ADAM, 1e-3, 1, 32, 11, 0, 1.0);
        MultiLayerNetwork network = NetworkFactory.create(recipe, 784, 10, 100);
        network.params().muli(3);
        FloatNetwork floats = new FloatNetwork(Dl4jModels.toFloatModel(network, activation, InputSpec.grayscale28(),
                SyntheticData.LABELS, java.util.Map.of()));
        LabeledImages images = SyntheticData.images(5, 4);
        ImageMatrix matrix = new ImageMatrix(images, 10);
        List<INDArray> dl4j = network.feedForward(matrix.features, false);
        // DL4J's output layer applies softmax; its logits are the last hidden activations times W plus b.
        INDArray dl4jLogits = dl4j.get(1).mmul(network.getParam("1_W")).addiRowVector(network.getParam("1_b"));
        for (int n = 0; n < images.count(); n++) {
            float[][] layers = floats.activations(floats.input(images.image(n)));
            assertArrayEquals(dl4j.get(1).getRow(n).toFloatVector(), layers[0], 1e-4f, activation + " hidden");
            float[][] pre = floats.preActivations(floats.input(images.image(n)));
            assertArrayEquals(layers[1], pre[1], 0f, "identity output layer");
            assertArrayEquals(dl4jLogits.getRow(n).toFloatVector(), layers[1], 1e-4f, activation + " logits");
        }
    }

    /** Pins what DL4J's GELU computes, the definition edge-runtime's {@code Activation.GELU} has to use. */
    @Test
    void dl4jGeluIsTheSigmoidApproximation() {
        float[] x = {-4f, -2f, -1f, -0.3f, 0f, 0.3f, 1f, 2f, 4f};
        INDArray y = NetworkFactory.activation(Activation.GELU).getActivation(Nd4j.createFromArray(x), false);
        for (int i = 0; i < x.length; i++) {
            assertEquals(dl4jGelu(x[i]), y.getDouble(i), 1e-6, "x = " + x[i]);
        }
    }

    static double dl4jGelu(double x) {
        return x / (1 + Math.exp(-1.702 * x));
    }

    private static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }
}
