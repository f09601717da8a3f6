package org.edgeml.trainer.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.json.Json;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.report.ConfusionMatrixChart;
import org.edgeml.host.report.Html;
import org.edgeml.host.report.ImageGrid;
import org.edgeml.host.report.LineChart;
import org.edgeml.trainer.EpochStats;
import org.edgeml.trainer.ImageAugmenter;
import org.edgeml.trainer.Trainer;
import org.edgeml.trainer.TrainingResult;

/**
 * Writes the training report into a directory: {@code index.html}, the charts it shows as PNGs, and
 * {@code metrics.json}. Every file is written atomically.
 */
public final class TrainingReport {
    static final Color TRAIN = new Color(0x1F, 0x77, 0xB4);
    static final Color VALIDATION = new Color(0xFF, 0x7F, 0x0E);
    private static final int WEIGHT_TILES = 64;
    private static final int MISCLASSIFIED_TILES = 48;
    private static final int AUGMENTED_ROWS = 6;
    private static final int AUGMENTED_COLUMNS = 6;

    private TrainingReport() {}

    /** Writes the report for {@code result}; {@code metrics} is what {@code metrics.json} holds. */
    public static void write(Path dir, TrainingResult result, Map<String, Object> metrics) {
        try {
            List<EpochStats> h = result.history();
            AtomicFiles.write(dir.resolve("loss.png"), LineChart.png("Loss per epoch", "cross-entropy", List.of(
                    new LineChart.Series("training", TRAIN, h.stream().map(EpochStats::trainLoss).toList()),
                    new LineChart.Series("validation", VALIDATION, h.stream().map(EpochStats::validationLoss).toList()))));
            AtomicFiles.write(dir.resolve("accuracy.png"), LineChart.png("Accuracy per epoch", "accuracy", List.of(
                    new LineChart.Series("training", TRAIN, h.stream().map(EpochStats::trainAccuracy).toList()),
                    new LineChart.Series("validation", VALIDATION, h.stream().map(EpochStats::validationAccuracy).toList()))));
            AtomicFiles.write(dir.resolve("confusion.png"), ConfusionMatrixChart.png(result.confusion(), result.dataset().labels()));
            Conv2DLayer conv = firstConv(result);
            if (conv != null) {
                AtomicFiles.write(dir.resolve("filters.png"), filters(conv));
            } else if (result.model().isDenseOnly()) {
                AtomicFiles.write(dir.resolve("weights.png"), weights(result));
            }
            AtomicFiles.write(dir.resolve("misclassified.png"), misclassified(result));
            if (result.recipe().augmentation().enabled()) {
                AtomicFiles.write(dir.resolve("augmented.png"), augmented(result));
            }
            AtomicFiles.writeString(dir.resolve("metrics.json"), Json.pretty(metrics) + "\n");
            AtomicFiles.writeString(dir.resolve("index.html"), html(result));
        } catch (IOException e) {
            throw new EdgemlException("cannot write the report to " + dir + ": " + e.getMessage()
                    + " (check that the directory is writable)", e);
        }
    }

    private static byte[] weights(TrainingResult result) {
        DenseLayer first = result.model().layers().get(0);
        LabeledImages test = result.dataset().test();
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        int channels = test.channels();
        float[] perPixel = new float[test.rows() * test.cols()];
        for (int o = 0; o < Math.min(WEIGHT_TILES, first.outputs()); o++) {
            // a colour input's three weights of a pixel are shown as their sum
            for (int p = 0; p < perPixel.length; p++) {
                float sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += first.weights()[o * first.inputs() + p * channels + c];
                }
                perPixel[p] = sum;
            }
            tiles.add(new ImageGrid.Tile(ImageGrid.weightsToGray(perPixel, 0, perPixel.length), null, null));
        }
        return ImageGrid.png("First hidden layer weights (gray = 0, light = positive, dark = negative"
                        + (channels > 1 ? "; R + G + B per pixel" : "") + ")",
                tiles, test.rows(), test.cols(), 16, 2);
    }

    /** The first conv2d layer of a CNN, or null. */
    private static Conv2DLayer firstConv(TrainingResult result) {
        for (FloatFeatureLayer layer : result.model().features()) {
            if (layer instanceof Conv2DLayer conv) {
                return conv;
            }
        }
        return null;
    }

    /**
     * One tile per filter and input channel (a row per filter when there are several channels), each
     * scaled by its own largest weight; batch normalization is already folded into these weights.
     */
    private static byte[] filters(Conv2DLayer conv) {
        int kh = conv.window().kernelHeight();
        int kw = conv.window().kernelWidth();
        int channels = conv.window().input().channels();
        int shownChannels = Math.min(channels, 16);
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        float[] tile = new float[kh * kw];
        for (int o = 0; o < conv.filters() && tiles.size() + shownChannels <= WEIGHT_TILES; o++) {
            for (int c = 0; c < shownChannels; c++) {
                for (int k = 0; k < kh * kw; k++) {
                    tile[k] = conv.weights()[(o * kh * kw + k) * channels + c];
                }
                tiles.add(new ImageGrid.Tile(ImageGrid.weightsToGray(tile, 0, tile.length), null, null));
            }
        }
        int scale = Math.max(2, Math.min(16, 48 / Math.max(kh, kw)));
        return ImageGrid.png("First conv layer, " + kh + "x" + kw + (channels > 1 ? ", a row per filter" : "")
                        + " (gray 0, light +, dark -)",
                tiles, kh, kw, channels == 1 ? 8 : shownChannels, scale);
    }

    private static byte[] misclassified(TrainingResult result) {
        LabeledImages test = result.dataset().test();
        List<String> labels = result.dataset().labels();
        int[] predicted = result.test().predictions();
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < predicted.length && tiles.size() < MISCLASSIFIED_TILES; i++) {
            if (predicted[i] != test.label(i)) {
                tiles.add(new ImageGrid.Tile(ImageGrid.greyPixels(test, i), "true: " + labels.get(test.label(i)) + "\npred: "
                        + labels.get(predicted[i]), new Color(0xC0, 0x20, 0x20)));
            }
        }
        return ImageGrid.png("Misclassified test images (first " + tiles.size() + ")"
                + (test.channels() > 1 ? ", colour shown as luma" : ""), tiles, test.rows(), test.cols(), 8, 3);
    }

    /** The first training images, each followed by changes --augment made of it. */
    private static byte[] augmented(TrainingResult result) {
        LabeledImages first = result.dataset().train().slice(0, Math.min(AUGMENTED_ROWS, result.dataset().train().count()));
        ImageAugmenter augmenter = new ImageAugmenter(result.recipe().augmentation());
        List<LabeledImages> versions = new ArrayList<>();
        versions.add(first);
        for (int v = 1; v < AUGMENTED_COLUMNS; v++) {
            versions.add(augmenter.augment(first, Trainer.augmentationSeed(result.recipe().seed(), v)));
        }
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < first.count(); i++) {
            for (LabeledImages version : versions) {
                tiles.add(new ImageGrid.Tile(ImageGrid.greyPixels(version, i), null, null));
            }
        }
        return ImageGrid.png("Training images (left) and augmented versions of them"
                + (first.channels() > 1 ? ", colour shown as luma" : ""), tiles, first.rows(), first.cols(),
                AUGMENTED_COLUMNS, 3);
    }

    private static String html(TrainingResult result) {
        EpochStats last = result.lastEpoch();
        StringBuilder rows = new StringBuilder();
        for (EpochStats e : result.history()) {
            rows.append(String.format(Locale.ROOT,
                    "<tr><td>%d</td><td>%.4f</td><td>%.4f</td><td>%s</td><td>%s</td><td>%.2f</td></tr>%n",
                    e.epoch(), e.trainLoss(), e.trainAccuracy(), f(e.validationLoss()), f(e.validationAccuracy()), e.seconds()));
        }
        String arch = result.recipe().architecture(result.dataset().test().imageSize(), result.dataset().classes());
        return Html.head("edgeml training report") + """
                <h1>Training report</h1>
                <p>Model <code>%s</code> (%s activation, %,d parameters) trained on <b>%s</b> (%s).</p>
                <p>Test accuracy <b>%.4f</b> (loss %.4f) on %,d images; last validation accuracy %s.</p>
                <p>Recipe: <code>%s</code></p>
                <h2>Loss and accuracy</h2>
                <img src="loss.png" alt="loss per epoch"><img src="accuracy.png" alt="accuracy per epoch">
                <table><tr><th>epoch</th><th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>seconds</th></tr>
                %s</table>
                <p>Training loss is the mean minibatch loss during the epoch; training accuracy is measured after
                the epoch on up to 10,000 training images; seconds count the fitting only.</p>
                <h2>Confusion matrix</h2>
                <img src="confusion.png" alt="test-set confusion matrix">
                %s<h2>Misclassified test images</h2>
                <img src="misclassified.png" alt="misclassified test images">
                %s<p>All figures are also in <a href="metrics.json">metrics.json</a>.</p>
                </body></html>
                """.formatted(Html.escape(arch), Html.escape(result.recipe().activation().cliName()), result.parameters(),
                Html.escape(result.dataset().name()), Html.escape(result.dataset().source()), result.test().accuracy(),
                result.test().loss(), result.dataset().test().count(), f(last.validationAccuracy()),
                Html.escape(Json.write(result.recipe().toMap())), rows, firstLayerSection(result),
                result.recipe().augmentation().enabled()
                        ? "<h2>Augmented training images</h2>\n<img src=\"augmented.png\" alt=\"training images and augmented versions\">\n"
                        : "");
    }

    private static String firstLayerSection(TrainingResult result) {
        if (firstConv(result) != null) {
            return "<h2>First conv layer</h2>\n<img src=\"filters.png\" alt=\"first conv layer filters as tiles\">\n";
        }
        if (result.model().isDenseOnly()) {
            return "<h2>First hidden layer</h2>\n<img src=\"weights.png\" alt=\"first hidden layer weights as tiles\">\n";
        }
        return "";
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

}
