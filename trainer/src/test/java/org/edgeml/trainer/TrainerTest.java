package org.edgeml.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.edgeml.core.model.Activation;
import org.edgeml.host.data.Dataset;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static TrainingRecipe smallRecipe(long seed) {
        return new TrainingRecipe(List.of(32), Activation.RELU, 0.1, 1e-4, Optimizer.ADAM, 3e-3, 3, 32, seed, 0.2, 1.0);
    }

    static TrainingResult train(TrainingRecipe recipe, Dataset dataset) {
        int validation = (int) (dataset.train().count() * recipe.validationFraction());
        return new Trainer(recipe, QUIET).train(dataset,
                dataset.train().slice(validation, dataset.train().count()), dataset.train().slice(0, validation));
    }

    @Test
    void shortRunLearnsWellAboveChance() {
        Dataset data = SyntheticData.dataset(1500, 400, 1);
        TrainingResult result = train(smallRecipe(5), data);

        assertEquals(3, result.history().size());
        assertTrue(result.test().accuracy() > 0.8, "test accuracy " + result.test().accuracy());
        assertTrue(result.lastEpoch().validationAccuracy() > 0.8, "val accuracy " + result.lastEpoch().validationAccuracy());
        assertTrue(result.history().get(2).trainLoss() < result.history().get(0).trainLoss());
        assertEquals(784L * 32 + 32 + 32 * 10 + 10, result.parameters());
        assertEquals(result.parameters(), result.model().parameterCount());

        // The exported float model predicts what DL4J predicted.
        FloatNetwork floats = new FloatNetwork(result.model());
        int same = 0;
        for (int i = 0; i < data.test().count(); i++) {
            same += floats.classify(data.test().image(i)) == result.test().predictions()[i] ? 1 : 0;
        }
        assertEquals(data.test().count(), same);
    }

    @Test
    void sameSeedGivesSameWeightsAndOtherSeedDoesNot() {
        Dataset data = SyntheticData.dataset(600, 50, 2);
        TrainingRecipe recipe = new TrainingRecipe(List.of(16, 8), Activation.TANH, 0.2, 0, Optimizer.NESTEROVS, 0.01, 2, 16, 9, 0.1, 1.0);
        TrainingResult first = train(recipe, data);
        TrainingResult second = train(recipe, data);
        TrainingResult other = train(new TrainingRecipe(List.of(16, 8), Activation.TANH, 0.2, 0, Optimizer.NESTEROVS, 0.01, 2, 16, 10, 0.1, 1.0), data);

        for (int l = 0; l < 3; l++) {
            assertArrayEquals(first.model().layers().get(l).weights(), second.model().layers().get(l).weights(), "layer " + l);
            assertArrayEquals(first.model().layers().get(l).bias(), second.model().layers().get(l).bias(), "layer " + l);
        }
        assertTrue(first.model().layers().get(0).weights()[0] != other.model().layers().get(0).weights()[0]);
    }

    /**
     * A small CNN on colour images, where each class's bar is in its own colour channel as well as place:
     * it learns, and the float model (HWC input) predicts exactly what DL4J (channel-major rows) predicted.
     */
    @Test
    void colourCnnLearnsAndItsFloatModelAgreesWithDl4j() {
        Dataset grey = SyntheticData.dataset(900, 300, 4);
        Dataset colour = new Dataset("synthetic colour", SyntheticData.LABELS, toColour(grey.train()), toColour(grey.test()), "memory");
        TrainingRecipe recipe = new TrainingRecipe(List.of(1), Activation.RELU, 0, 0, Optimizer.ADAM, 3e-3, 3, 32, 5, 0.2, 1.0)
                .withLayers(LayerSpecParser.parse("conv5x5:6:s2,bn,maxpool2,dense:16", Activation.RELU));
        TrainingResult result = train(recipe, colour);

        assertEquals(3, result.model().input().channels());
        assertTrue(result.test().accuracy() > 0.6, "test accuracy " + result.test().accuracy());
        FloatNetwork floats = new FloatNetwork(result.model());
        for (int i = 0; i < colour.test().count(); i++) {
            assertEquals(result.test().predictions()[i], floats.classify(colour.test().image(i)), "test image " + i);
        }
    }

    /** Grey value g becomes (g, g/2, 0) for even labels and (0, g/2, g) for odd ones. */
    private static org.edgeml.core.data.LabeledImages toColour(org.edgeml.core.data.LabeledImages grey) {
        byte[] rgb = new byte[grey.pixels().length * 3];
        int size = grey.imageSize();
        for (int n = 0; n < grey.count(); n++) {
            boolean even = grey.label(n) % 2 == 0;
            for (int p = 0; p < size; p++) {
                int g = grey.pixels()[n * size + p] & 0xFF;
                int base = (n * size + p) * 3;
                rgb[base] = (byte) (even ? g : 0);
                rgb[base + 1] = (byte) (g / 2);
                rgb[base + 2] = (byte) (even ? 0 : g);
            }
        }
        return new org.edgeml.core.data.LabeledImages(grey.rows(), grey.cols(), 3, rgb, grey.labels());
    }
}
