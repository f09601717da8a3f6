package org.edgeml.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.data.IdxWriter;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.trainer.ImageAugmenter.Change;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.TypeConversionException;

/** Training colour (H x W x 3) models from a folder of generated colour images resized to {@code --input}. */
class ColourTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final List<String> CLASSES = List.of("blue", "green", "red");
    private static final int[] CHANNEL = {2, 1, 0};

    @TempDir
    static Path dir;
    static Path folder;

    @BeforeAll
    static void drawColouredShapes() throws IOException {
        folder = dir.resolve("shapes");
        Random random = new Random(11);
        for (int k = 0; k < CLASSES.size(); k++) {
            Path classDir = Files.createDirectories(folder.resolve(CLASSES.get(k)));
            for (int i = 0; i < 40; i++) {
                int w = 20 + random.nextInt(21);
                int h = 20 + random.nextInt(21);
                int r = Math.min(w, h) / 5 + random.nextInt(Math.min(w, h) / 5 + 1);
                int cx = w / 2 + random.nextInt(7) - 3;
                int cy = h / 2 + random.nextInt(7) - 3;
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                        int[] rgb = new int[3];
                        for (int c = 0; c < 3; c++) {
                            rgb[c] = !inside ? 60 + random.nextInt(60) : c == CHANNEL[k] ? 170 + random.nextInt(86) : random.nextInt(90);
                        }
                        image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                    }
                }
                ImageIO.write(image, "png", classDir.resolve(CLASSES.get(k) + i + ".png").toFile());
            }
        }
    }

    /**
     * A tiny CNN and a dense network on 12x12x3: well above chance (1/3), and the float model's
     * {@link FloatNetwork} on the HWC bytes gives DL4J's own probabilities on its channel-major rows.
     */
    @Test
    void aTinyColourCnnAndADenseNetworkLearnTheColoursAndConvertExactly() throws Exception {
        // small batches: 96 training images give 6 updates an epoch
        TrainingRecipe dense = new TrainingRecipe(List.of(16), Activation.RELU, 0, 0, Optimizer.ADAM,
                Optimizer.ADAM.defaultLearningRate, 10, 16, 42, 0.1, 1);
        TrainingRecipe cnn = dense.withEpochs(20).withLayers(LayerSpecParser.parse("conv3x3:4:same,maxpool2,conv3x3:6,gap,dense:8", Activation.RELU));
        for (TrainingRecipe recipe : List.of(cnn, dense)) {
            Path out = dir.resolve(recipe.hasLayerSpec() ? "cnn.zip" : "dense.zip");
            Path report = dir.resolve(recipe.hasLayerSpec() ? "cnn-report" : "dense-report");
            TrainJob.Result job = TrainJob.run(recipe, new DatasetSpec("folder", folder, 42), new Shape(12, 12, 3), out,
                    report, QUIET);
            assertTrue(Files.size(report.resolve("index.html")) > 0);
            FloatModel model = FloatModelFile.read(out);
            assertEquals(new Shape(12, 12, 3), model.input().shape());
            assertEquals(CLASSES, model.labels());
            String what = recipe.hasLayerSpec() ? "cnn" : "dense";
            assertTrue(job.training().test().accuracy() >= 0.8, what + " test accuracy " + job.training().test().accuracy());

            LabeledImages test = job.training().dataset().test();
            assertEquals(3, test.channels());
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(
                    new ByteArrayInputStream(job.training().dl4jNetwork()), false);
            INDArray probabilities = network.output(new ImageMatrix(test, CLASSES.size(),
                    recipe.hasLayerSpec() ? 3 : 1).features, false);
            FloatNetwork floats = new FloatNetwork(model);
            double worst = 0;
            int correct = 0;
            for (int i = 0; i < test.count(); i++) {
                float[] p = CnnConversionTest.softmax(floats.logits(floats.input(test.image(i))));
                float[] want = probabilities.getRow(i).toFloatVector();
                for (int c = 0; c < p.length; c++) {
                    worst = Math.max(worst, Math.abs(p[c] - want[c]));
                }
                correct += FloatNetwork.argmax(p) == test.label(i) ? 1 : 0;
            }
            assertTrue(worst <= 1e-4, what + ": max abs probability error " + worst);
            assertEquals(job.training().test().accuracy(), (double) correct / test.count(), 1e-12, what);
        }
    }

    @Test
    void augmentedColourImagesGetTrainedToo() throws Exception {
        TrainingRecipe recipe = TrainingRecipe.defaults().withEpochs(2).withAugmentation(Augmentation.DEFAULT)
                .withLayers(LayerSpecParser.parse("conv3x3:4,gap,dense:6", Activation.RELU));
        TrainJob.Result job = TrainJob.run(recipe, new DatasetSpec("folder", folder, 42), new Shape(10, 9, 3),
                dir.resolve("augmented.zip"), dir.resolve("report"), QUIET);
        assertEquals(new Shape(10, 9, 3), job.training().model().input().shape());
        assertTrue(Files.size(dir.resolve("report").resolve("index.html")) > 0);
    }

    /** The same warp for every channel; with contrast 1 brightness adds the same to every value, so each channel is its grey self. */
    @Test
    void theAugmenterWarpsEveryChannelAlike() {
        Random random = new Random(4);
        int rows = 7;
        int cols = 6;
        byte[][] planes = new byte[3][rows * cols];
        byte[] rgb = new byte[rows * cols * 3];
        for (int c = 0; c < 3; c++) {
            random.nextBytes(planes[c]);
            for (int p = 0; p < rows * cols; p++) {
                planes[c][p] = (byte) ((planes[c][p] & 0xFF) * 200 / 255); // room for the brightness
                rgb[p * 3 + c] = planes[c][p];
            }
        }
        Change change = new Change(1.3, -0.7, 1.1, 0.2, 20, 1, true);
        byte[] colour = new byte[rgb.length];
        ImageAugmenter.apply(rgb, rows, cols, 3, change, colour);
        for (int c = 0; c < 3; c++) {
            byte[] grey = new byte[rows * cols];
            ImageAugmenter.apply(planes[c], rows, cols, change, grey);
            byte[] channel = new byte[rows * cols];
            for (int p = 0; p < channel.length; p++) {
                channel[p] = colour[p * 3 + c];
            }
            assertArrayEquals(grey, channel, "channel " + c);
        }
        LabeledImages images = new LabeledImages(rows, cols, 3, rgb, new int[] {0});
        LabeledImages augmented = new ImageAugmenter(Augmentation.DEFAULT).augment(images, 9);
        assertEquals(3, augmented.channels());
    }

    @Test
    void aGreyIdxDatasetForAColourInputAndBadInputShapesAreOneLine() throws Exception {
        Path data = Files.createDirectories(dir.resolve("idx"));
        LabeledImages grey = new LabeledImages(28, 28, new byte[2 * 784], new int[] {0, 1});
        IdxWriter.write(data, "train", grey);
        IdxWriter.write(data, "t10k", grey);
        EdgemlException e = assertThrows(EdgemlException.class, () -> TrainJob.run(TrainingRecipe.defaults(),
                new DatasetSpec("idx", data, 42), new Shape(32, 32, 3), dir.resolve("never.zip"), null, QUIET));
        assertEquals("idx images (" + data + ") are 28x28x1 (grey) but the model (--input) takes 32x32x3 (colour): use a"
                + " dataset of that shape, or a folder of images (--dataset folder --data DIR), which are resized to the"
                + " model's input", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("never.zip")));

        TrainCommand.InputShape parse = new TrainCommand.InputShape();
        assertEquals(new Shape(32, 24, 3), parse.convert("32x24x3"));
        assertEquals(new Shape(28, 28, 1), parse.convert("28X28x1"));
        for (String bad : List.of("32x32x2", "32x32", "0x5x1", "5000x5x1", "axbxc", "32x32x3x1")) {
            TypeConversionException t = assertThrows(TypeConversionException.class, () -> parse.convert(bad), bad);
            assertTrue(t.getMessage().contains("give HxWxC"), t.getMessage());
        }
    }
}
