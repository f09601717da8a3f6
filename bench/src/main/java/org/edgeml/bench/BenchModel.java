package org.edgeml.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.floatmodel.RandomFloatModel;
import org.edgeml.quantizer.PostTrainingQuantizer;
import org.edgeml.quantizer.calibration.Calibration;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.calibration.Calibrator;

/**
 * What every benchmark runs: one float model, its int8 quantization, and the same images for all.
 * By default the model is a random 784-128-10 ReLU network (He-initialized, seeded) quantized with the
 * project's own post-training quantizer, and the images are seeded blobs of the model's input shape.
 */
public record BenchModel(FloatModel floatModel, Q8Model int8Model, LabeledImages images) {
    public static final int[] DEFAULT_WIDTHS = {128, 10};

    /** The default: a random float model of {@code widths} after a 28x28 input, quantized with min/max calibration. */
    public static BenchModel random(long seed, int imageCount, PrintStream log) {
        FloatModel floatModel = randomFloatModel(seed, DEFAULT_WIDTHS);
        LabeledImages images = blobImages(floatModel, imageCount, seed + 1);
        Calibration calibration = new Calibrator(new FloatNetwork(floatModel), CalibrationMethod.MINMAX)
                .calibrate(images, images.count(), seed, log);
        ModelInfo info = new ModelInfo("bench-784-128-10", "random", floatModel.labels(), Double.NaN, Double.NaN,
                "2026-01-01T00:00:00Z", Map.of("seed", Long.toString(seed)));
        Q8Model q8 = PostTrainingQuantizer.quantize(floatModel, calibration, info);
        return new BenchModel(floatModel, PostTrainingQuantizer.withGoldens(q8, images), images);
    }

    /** Images the default CNN is calibrated on: few, as the float CNN's Java loops are slow. */
    static final int CNN_CALIBRATION_IMAGES = 100;

    /**
     * The default CNN pair: issue 12's preset with random weights ({@link RandomFloatCnn#preset}), quantized
     * with edgeml's post-training quantizer (min/max calibration on seeded images, golden vectors included).
     */
    public static BenchModel randomCnn(long seed, PrintStream log) {
        FloatModel floatModel = RandomFloatCnn.preset(seed);
        LabeledImages images = blobImages(floatModel, CNN_CALIBRATION_IMAGES, seed + 1);
        Calibration calibration = new Calibrator(new FloatNetwork(floatModel), CalibrationMethod.MINMAX)
                .calibrate(images, images.count(), seed, log);
        ModelInfo info = new ModelInfo("bench-cnn-preset", "random", floatModel.labels(), Double.NaN, Double.NaN,
                "2026-01-01T00:00:00Z", Map.of("seed", Long.toString(seed)));
        Q8Model q8 = PostTrainingQuantizer.quantize(floatModel, calibration, info);
        return new BenchModel(floatModel, PostTrainingQuantizer.withGoldens(q8, images), images);
    }

    /** A model pair from files; the images are seeded blobs of the model's input size. */
    public static BenchModel load(Path int8File, Path floatFile, long seed, int imageCount) {
        Q8Model q8 = Q8ModelFile.read(int8File).model();
        q8.requireDenseOnly("bench");
        FloatModel floatModel = FloatModelFile.read(floatFile);
        requirePair(q8, floatModel, int8File, floatFile);
        return new BenchModel(floatModel, q8, blobImages(floatModel, imageCount, seed + 1));
    }

    /** Refuses an int8 model and a float model that cannot be the same model (labels, input size, CNN or dense). */
    static void requirePair(Q8Model q8, FloatModel floatModel, Path int8File, Path floatFile) {
        if (!floatModel.labels().equals(q8.labels()) || floatModel.input().size() != q8.inputSize()
                || floatModel.features().isEmpty() != q8.features().isEmpty()) {
            throw new EdgemlException(floatFile + " and " + int8File + " are not the same model (different labels, input"
                    + " size or layers): pass the float model the int8 model was quantized from");
        }
    }

    /** A float model with He-initialized weights: {@code widths} after the 28x28 input, ReLU hidden layers. */
    public static FloatModel randomFloatModel(long seed, int... widths) {
        return RandomFloatModel.create(seed, Activation.RELU, Map.of("dataset", "random", "seed", seed), widths);
    }

    /** Seeded images of one bright disc on a dark, noisy ground, of the model's input shape, labelled by the float model. */
    public static LabeledImages blobImages(FloatModel model, int count, long seed) {
        int rows = model.input().height();
        int cols = model.input().width();
        int channels = model.input().channels();
        int size = model.input().size();
        FloatNetwork network = new FloatNetwork(model);
        byte[][] images = blobPixels(rows, cols, channels, count, seed);
        byte[] pixels = new byte[count * size];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            System.arraycopy(images[n], 0, pixels, n * size, size);
            labels[n] = network.classify(images[n]);
        }
        return new LabeledImages(rows, cols, channels, pixels, labels);
    }

    /**
     * Seeded {@code rows x cols x channels} images (HWC) of one bright disc on a dark, noisy ground. Grey
     * images (one channel) are the same for every seed as they always were; colour ones (three) give each
     * image's disc a random tint (each channel's brightness times 0.25..1) over the same grey noise.
     */
    public static byte[][] blobPixels(int rows, int cols, int channels, int count, long seed) {
        Random random = new Random(seed);
        byte[][] images = new byte[count][rows * cols * channels];
        double[] tint = new double[channels];
        for (int n = 0; n < count; n++) {
            int cx = random.nextInt(cols);
            int cy = random.nextInt(rows);
            int r = 2 + random.nextInt(Math.max(1, Math.min(rows, cols) / 3));
            int brightness = 100 + random.nextInt(156);
            for (int c = 0; c < channels; c++) {
                tint[c] = channels == 1 ? 1 : 0.25 + 0.75 * random.nextDouble();
            }
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                    int v = inside ? brightness - random.nextInt(40) : random.nextInt(30);
                    for (int c = 0; c < channels; c++) {
                        images[n][(y * cols + x) * channels + c] = (byte) (inside ? (int) Math.round(v * tint[c]) : v);
                    }
                }
            }
        }
        return images;
    }
}
