package org.edgeml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.floatmodel.InputSpec;
import org.edgeml.core.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network built from each kind of layer, with random weights and batch-norm statistics, converted to
 * the float model: its plain-Java logits match what DL4J itself computes ({@code output()}'s last hidden
 * activation times the output layer's W plus b) on random inputs. DL4J is the independent judge of the
 * weight layouts, the flatten order, batch-norm folding and the padding rules.
 */
class CnnConversionTest {
    private static final List<String> LABELS = List.of("a", "b", "c", "d", "e");

    @ParameterizedTest
    @ValueSource(strings = {
            "conv3x3:4",                                  // valid, stride 1, relu
            "conv3x3:4:same,conv5x5:3:s2:same:tanh",      // same padding with odd totals, stride 2
            "conv3x2:3:s2x1:valid:elu,conv2x2:4:s1:same:leakyrelu",
            "conv3x3:4:sigmoid,conv1x1:2:gelu",
            "conv3x3:5:identity,bn",                      // bn without an activation
            "conv3x3:5,bn,maxpool2,conv3x3:6,bn,maxpool2,dense:7,dropout:0.3",  // the preset's shape
            "dwconv3x3,conv1x1:4",                        // depthwise of the 1-channel input
            "conv1x1:3,dwconv3x3:s2:same:relu,bn,dwconv2x2:valid:tanh",
            "conv2x2:3,maxpool3:s2:same,maxpool2:s1:valid",
            "conv2x2:3,avgpool3:s2:same,avgpool2:s1:valid",   // same-padded average pools exclude padding
            "conv3x3:4,avgpool3x2:s2x3:same",
            "conv3x3:6,gap,dense:5",
            "conv3x3:6,dwconv3x3,bn,gap",
            "conv3x3:3,flatten,dense:8,bn,dense:6:tanh",
            "conv3x3:3,maxpool2,maxout:6:3,dense:4",       // maxout right after the convolutions
            "maxout:7:2,maxout:5:4",
            "dense:9,bn,dropout:0.5,dense:6:sigmoid",
    })
    void convertedLogitsMatchDl4j(String spec) {
        Shape input = new Shape(14, 13, 1);
        TrainingRecipe recipe = TrainingRecipe.defaults().withLayers(LayerSpecParser.parse(spec, Activation.RELU));
        MultiLayerNetwork network = NetworkFactory.create(recipe, input, LABELS.size(), 10);
        randomize(network, new Random(spec.hashCode()));
        FloatModel model = Dl4jModels.toFloatModel(network, new InputSpec(14, 13, 1, false, 1 / 255.0, 0), LABELS, Map.of());
        FloatNetwork floats = new FloatNetwork(model);

        int n = 16;
        Random random = new Random(7);
        float[][] x = new float[n][input.size()];
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextFloat() * 2 - 1;
            }
        }
        INDArray features = Nd4j.create(x).castTo(DataType.FLOAT);
        List<INDArray> activations = network.feedForward(features, false);
        int last = network.getnLayers() - 1;
        INDArray expected = activations.get(last).reshape(n, -1)
                .mmul(network.getLayer(last).getParam("W")).addiRowVector(network.getLayer(last).getParam("b"));
        double worst = 0;
        for (int i = 0; i < n; i++) {
            float[] logits = floats.logits(x[i]);
            float[] want = expected.getRow(i).toFloatVector();
            assertEquals(want.length, logits.length);
            for (int c = 0; c < want.length; c++) {
                worst = Math.max(worst, Math.abs(want[c] - logits[c]));
            }
        }
        assertTrue(worst <= 1e-4, spec + ": max abs logit error " + worst);
        // and the class DL4J predicts
        INDArray probabilities = network.output(features, false);
        for (int i = 0; i < n; i++) {
            assertEquals(Nd4j.argMax(probabilities.getRow(i)).getInt(0), FloatNetwork.argmax(floats.logits(x[i])), spec);
        }
    }

    /**
     * RGB input: DL4J gets ImageMatrix's channel-major rows, the float model the HWC bytes; a dense-only
     * spec has its first layer's columns permuted, as after a flatten.
     */
    @ParameterizedTest
    @ValueSource(strings = {"conv3x3:4,bn,maxpool2,dense:6", "dense:5", "dwconv3x3:same,gap", "maxout:4:2"})
    void colourImagesConvertToo(String spec) {
        int h = 8;
        int w = 7;
        TrainingRecipe recipe = TrainingRecipe.defaults().withLayers(LayerSpecParser.parse(spec, Activation.RELU));
        MultiLayerNetwork network = NetworkFactory.create(recipe, new Shape(h, w, 3), LABELS.size(), 10);
        randomize(network, new Random(spec.hashCode()));
        InputSpec inputSpec = new InputSpec(h, w, 3, false, 1 / 255.0, 0);
        FloatNetwork floats = new FloatNetwork(Dl4jModels.toFloatModel(network, inputSpec, LABELS, Map.of()));

        Random random = new Random(3);
        int n = 6;
        byte[] pixels = new byte[n * h * w * 3];
        random.nextBytes(pixels);
        LabeledImages images = new LabeledImages(h, w, 3, pixels, new int[n]);
        ImageMatrix matrix = new ImageMatrix(images, LABELS.size(), 3);
        INDArray probabilities = network.output(matrix.features, false);
        for (int i = 0; i < n; i++) {
            float[] logits = floats.logits(floats.input(images.image(i)));
            float[] p = probabilities.getRow(i).toFloatVector();
            float[] softmax = softmax(logits);
            for (int c = 0; c < p.length; c++) {
                assertEquals(p[c], softmax[c], 1e-4, spec + " image " + i);
            }
        }
    }

    /** A network with edgeml's maxout layer survives ModelSerializer (the float model file keeps the DL4J network). */
    @Test
    void maxoutNetworksSerialize() throws Exception {
        TrainingRecipe recipe = TrainingRecipe.defaults().withLayers(LayerSpecParser.parse("conv3x3:2,maxout:5:3", Activation.RELU));
        MultiLayerNetwork network = NetworkFactory.create(recipe, new Shape(6, 6, 1), LABELS.size(), 10);
        randomize(network, new Random(5));
        MultiLayerNetwork restored = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(
                new java.io.ByteArrayInputStream(Dl4jModels.serialize(network)), false);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 36);
        assertEquals(network.output(x, false), restored.output(x, false));
    }

    static float[] softmax(float[] logits) {
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
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Weights of order 1 so every layer matters; batch norms get non-trivial gamma, beta, mean and variance. */
    static void randomize(MultiLayerNetwork network, Random random) {
        for (int l = 0; l < network.getnLayers(); l++) {
            for (Map.Entry<String, INDArray> p : network.getLayer(l).paramTable().entrySet()) {
                INDArray value = p.getValue();
                float[] v = new float[(int) value.length()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = switch (p.getKey()) {
                        case "var" -> 0.2f + random.nextFloat() * 2;
                        case "gamma" -> 0.5f + random.nextFloat();
                        default -> (float) (random.nextGaussian() * 0.6);
                    };
                }
                network.getLayer(l).setParam(p.getKey(), Nd4j.create(v, value.shape(), value.ordering()).castTo(value.dataType()));
            }
        }
    }
}
