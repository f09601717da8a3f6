package org.edgeml.quantizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.edgeml.quantizer.floatmodel.FloatModel;
import org.edgeml.quantizer.floatmodel.FloatModelFile;
import org.edgeml.quantizer.floatmodel.FloatNetwork;
import org.edgeml.quantizer.floatmodel.RandomFloatModel;
import org.edgeml.runtime.data.IdxWriter;
import org.edgeml.runtime.data.LabeledImages;
import org.edgeml.runtime.model.Activation;

/**
 * Float models and datasets for quantizer tests, without DL4J: a random "teacher" network labels
 * random images, so the float model is right by construction and int8 agreement is what is measured.
 */
public final class TestModels {
    private TestModels() {}

    public static FloatModel random(long seed, Activation activation, int... widths) {
        return RandomFloatModel.create(seed, activation, Map.of("dataset", "idx", "seed", 7L), widths);
    }

    /** Random blob images labelled by {@code teacher}. */
    public static LabeledImages labelledBy(FloatModel teacher, int count, long seed) {
        Random random = new Random(seed);
        FloatNetwork network = new FloatNetwork(teacher);
        byte[] pixels = new byte[count * 784];
        int[] labels = new int[count];
        byte[] image = new byte[784];
        for (int i = 0; i < count; i++) {
            int cx = 6 + random.nextInt(16);
            int cy = 6 + random.nextInt(16);
            int r = 3 + random.nextInt(8);
            int brightness = 100 + random.nextInt(156);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                    image[y * 28 + x] = (byte) (inside ? brightness - random.nextInt(40) : random.nextInt(30));
                }
            }
            System.arraycopy(image, 0, pixels, i * 784, 784);
            labels[i] = network.classify(image);
        }
        return new LabeledImages(28, 28, pixels, labels);
    }

    /** Writes a float model file and an IDX dataset labelled by it; returns the model file. */
    public static Path writeModelAndData(Path dir, FloatModel model, int train, int test) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        IdxWriter.write(data, "train", labelledBy(model, train, 1));
        IdxWriter.write(data, "t10k", labelledBy(model, test, 2));
        Path file = dir.resolve("model.zip");
        FloatModelFile.write(model, file, null);
        return file;
    }
}
