package org.edgeml.quantizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.data.Dataset;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.data.Datasets;
import org.edgeml.host.data.IdxWriter;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;
import org.edgeml.host.floatmodel.InputSpec;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.check.CheckJob;
import org.edgeml.quantizer.cli.CheckReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Colour (H x W x 3) models through quantize and check, on a folder of generated colour images. */
class ColourQuantizeAndCheckTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** The folder's classes in alphabetical order, and the RGB channel each one is brightest in. */
    private static final List<String> CLASSES = List.of("blue", "green", "red");
    private static final int[] CHANNEL = {2, 1, 0};
    private static final int SIDE = 8;

    @TempDir
    static Path dir;
    static Path folder;

    @BeforeAll
    static void drawColouredShapes() throws IOException {
        folder = dir.resolve("shapes");
        writeShapes(folder, 15, 5);
    }

    /**
     * A model built by hand that answers "which colour is this": a 1x1 convolution passing R, G and B through
     * (ReLU), the global average, and a dense layer picking each class's channel. A shape of one colour on a
     * dark ground has that channel's mean the highest, so the float model is right on every image by construction.
     */
    @Test
    void aHandBuiltColourModelQuantizesAndChecksOnAFolderResizedToItsInput() throws Exception {
        Path floatFile = dir.resolve("colour.zip");
        FloatModelFile.write(whichColourModel(), floatFile, null);
        Path q8 = dir.resolve("colour.q8");
        QuantizeJob.Result result = QuantizeJob.run(new QuantizeJob.Request(floatFile, q8, 100, CalibrationMethod.MINMAX,
                null), QUIET);
        Q8Model model = Q8ModelFile.read(q8).model();
        assertEquals(new Shape(SIDE, SIDE, 3), model.input().shape());
        assertEquals(CLASSES, result.dataset().labels());
        LabeledImages test = result.dataset().test();
        assertEquals(List.of(SIDE, SIDE, 3), List.of(test.rows(), test.cols(), test.channels()));
        assertEquals(List.of(), new Int8Engine(model).verifyGoldens());
        assertEquals(1.0, result.evaluation().floatAccuracy(), 1e-12);
        assertEquals(1.0, result.evaluation().int8Accuracy(), 1e-12);

        CheckJob.Result recorded = CheckJob.run(new CheckJob.Request(q8, null, null, 0.99, 0), QUIET);
        assertTrue(recorded.passed());
        assertEquals(test.count(), recorded.dataset().test().count(), "the recorded folder, split as at quantization");
        assertEquals(1.0, recorded.evaluation().agreement(), 1e-12);
        CheckJob.Result given = CheckJob.run(new CheckJob.Request(q8, floatFile, new DatasetSpec("folder", folder, 0),
                0.99, 0), QUIET);
        assertTrue(given.passed());
        Path report = dir.resolve("check-report");
        CheckReport.write(recorded, report, QUIET);
        assertTrue(Files.size(report.resolve("disagreements.png")) > 0);
    }

    @Test
    void aRandomColourCnnsInt8LogitsStayWithinTheDerivedBoundOfTheFloatNetwork() {
        FloatModel model = new CnnModels(31, SIDE, SIDE, 3)
                .conv(3, 6, 1, Padding.SAME, Activation.RELU)
                .maxPool(2, 2, Padding.VALID)
                .depthwise(3, 1, Padding.SAME, Activation.RELU)
                .conv(2, 4, 1, Padding.VALID, Activation.TANH)
                .flatten()
                .dense(3, Activation.IDENTITY)
                .build();
        Dataset dataset = Datasets.loadFor(new DatasetSpec("folder", folder, 7), model.input().shape(), "random", QUIET);
        LabeledImages images = dataset.train();
        Q8Model q = CnnQuantizationTest.quantize(model, images);
        double bound = ErrorBound.logits(model, q);
        FloatNetwork network = new FloatNetwork(model);
        Int8Engine engine = new Int8Engine(q);
        QuantParams logit = q.lastLayer().output();
        byte[] in = new byte[q.inputSize()];
        byte[] out = new byte[q.classes()];
        double worst = 0;
        for (int i = 0; i < images.count(); i++) {
            float[] expected = network.logits(network.input(images.image(i)));
            engine.quantizeInput(images.image(i), in);
            engine.infer(in, out);
            for (int c = 0; c < out.length; c++) {
                worst = Math.max(worst, Math.abs(logit.dequantize(out[c]) - expected[c]));
            }
        }
        assertTrue(worst <= bound, "worst logit error " + worst + " exceeds the bound " + bound);
        assertTrue(worst > 0, "the int8 logits are not the float ones copied");
    }

    @Test
    void aGreyDatasetForAColourModelIsOneClearLine() throws Exception {
        Path floatFile = dir.resolve("for-grey.zip");
        FloatModelFile.write(whichColourModel(), floatFile, null);
        Path data = Files.createDirectories(dir.resolve("grey-idx"));
        LabeledImages grey = new LabeledImages(28, 28, new byte[3 * 784], new int[] {0, 1, 2});
        IdxWriter.write(data, "train", grey);
        IdxWriter.write(data, "t10k", grey);
        EdgemlException e = assertThrows(EdgemlException.class, () -> QuantizeJob.run(new QuantizeJob.Request(floatFile,
                dir.resolve("never.q8"), 10, CalibrationMethod.MINMAX, new DatasetSpec("idx", data, 0)), QUIET));
        assertEquals("idx images (" + data + ") are 28x28x1 (grey) but " + floatFile + " takes 8x8x3 (colour): use a"
                + " dataset of that shape, or a folder of images (--dataset folder --data DIR), which are resized to the"
                + " model's input", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("never.q8")));
    }

    private static FloatModel whichColourModel() {
        InputSpec input = new InputSpec(SIDE, SIDE, 3, false, 1.0 / 255, 0);
        Window pixels = new Window(input.shape(), 1, 1, 1, 1, Padding.VALID);
        // OHWI: filter o takes channel o alone.
        float[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        Conv2DLayer passRgb = new Conv2DLayer(pixels, 3, Activation.RELU, identity, new float[3]);
        float[] pick = new float[9];
        for (int k = 0; k < 3; k++) {
            pick[k * 3 + CHANNEL[k]] = 1;
        }
        DenseLayer classes = new DenseLayer(3, 3, Activation.IDENTITY, pick, new float[3]);
        return new FloatModel(input, List.of(passRgb, new GlobalAveragePoolLayer(passRgb.outputShape())),
                List.of(classes), CLASSES, Map.of("dataset", "folder", "source", folder.toString(), "seed", 7L));
    }

    /**
     * {@code perClass} PNGs per class of various sizes: a disc or square of the class's colour (that channel
     * 180..255, the others 0..70, per pixel) around the centre, on a dark noisy ground (every channel 0..40).
     */
    static void writeShapes(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (int k = 0; k < CLASSES.size(); k++) {
            Path classDir = Files.createDirectories(root.resolve(CLASSES.get(k)));
            for (int i = 0; i < perClass; i++) {
                int w = 24 + random.nextInt(17);
                int h = 20 + random.nextInt(17);
                int r = Math.min(w, h) / 4 + random.nextInt(Math.min(w, h) / 6 + 1);
                int cx = w / 2 + random.nextInt(5) - 2;
                int cy = h / 2 + random.nextInt(5) - 2;
                boolean disc = random.nextBoolean();
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean inside = disc ? (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
                                : Math.abs(x - cx) <= r && Math.abs(y - cy) <= r;
                        int[] rgb = new int[3];
                        for (int c = 0; c < 3; c++) {
                            rgb[c] = !inside ? random.nextInt(41) : c == CHANNEL[k] ? 180 + random.nextInt(76) : random.nextInt(71);
                        }
                        image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                    }
                }
                ImageIO.write(image, "png", classDir.resolve(CLASSES.get(k) + i + ".png").toFile());
            }
        }
    }
}
