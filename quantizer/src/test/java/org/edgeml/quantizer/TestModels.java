package org.edgeml.quantizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Activation;
import org.edgeml.host.data.IdxWriter;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.floatmodel.RandomFloatModel;

/**
 * Float models and datasets for quantizer tests, without DL4J: a random "teacher" network labels
 * random images, so the float model is right by construction and int8 agreement is what is measured.
 */
public final class TestModels {
    private TestModels() {}

    /** A random float layer: weights output-major. */
    public record FloatLayer(int inputs, int outputs, Activation activation, float[] weights, float[] bias) {
        public static FloatLayer random(Random rnd, int inputs, int outputs, Activation activation) {
            float[] w = new float[inputs * outputs];
            float[] b = new float[outputs];
            double limit = Math.sqrt(6.0 / (inputs + outputs));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
            }
            for (int o = 0; o < outputs; o++) {
                b[o] = (float) (rnd.nextGaussian() * 0.1);
            }
            return new FloatLayer(inputs, outputs, activation, w, b);
        }

        public double preActivation(double[] x, int o) {
            double sum = bias[o];
            for (int i = 0; i < inputs; i++) {
                sum += weights[o * inputs + i] * x[i];
            }
            return sum;
        }

        public double[] forward(double[] x) {
            double[] y = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                y[o] = activation.apply(preActivation(x, o));
            }
            return y;
        }
    }

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
