package org.edgeml.quantizer.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.json.Json;
import org.edgeml.host.report.ConfusionMatrixChart;
import org.edgeml.host.report.Html;
import org.edgeml.host.report.ImageGrid;
import org.edgeml.quantizer.check.CheckJob;
import org.edgeml.quantizer.check.Evaluation;

/** The HTML report of {@code edgeml check --report DIR}. */
public final class CheckReport {
    private static final int MAX_TILES = 64;

    private CheckReport() {}

    public static void write(CheckJob.Result result, Path dir, PrintStream log) {
        Evaluation e = result.evaluation();
        try {
            AtomicFiles.write(dir.resolve("confusion-int8.png"),
                    ConfusionMatrixChart.png(e.int8Confusion(), e.labels()));
            AtomicFiles.write(dir.resolve("disagreements.png"), disagreements(result));
            AtomicFiles.writeString(dir.resolve("check.json"), Json.pretty(CheckCommand.toJson(result)) + "\n");
            AtomicFiles.writeString(dir.resolve("index.html"), html(result));
        } catch (IOException ex) {
            throw new EdgemlException("cannot write the report into " + dir + " (" + ex.getMessage() + ")", ex);
        }
        log.println("edgeml: report written to " + dir.resolve("index.html"));
    }

    private static byte[] disagreements(CheckJob.Result result) {
        Evaluation e = result.evaluation();
        LabeledImages test = result.dataset().test();
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (int i : e.disagreements()) {
            if (tiles.size() == MAX_TILES) {
                break;
            }
            int[] pixels = ImageGrid.greyPixels(test, i); // colour images as their luma
            String caption = "true: " + e.labels().get(e.truth()[i]) + "\nfloat: " + e.labels().get(e.floatPredictions()[i])
                    + "\nint8: " + e.labels().get(e.int8Predictions()[i]);
            tiles.add(new ImageGrid.Tile(pixels, caption, new Color(0xC0, 0x20, 0x20)));
        }
        String title = e.hasFloat()
                ? "Images where float and int8 disagree (" + e.disagreements().length + ", first " + tiles.size() + " shown)"
                : "No float model to compare with";
        return ImageGrid.png(title, tiles, test.rows(), test.cols(), 8, 3);
    }

    private static String html(CheckJob.Result r) {
        Evaluation e = r.evaluation();
        StringBuilder h = new StringBuilder(Html.head("edgeml check: " + r.model().id()));
        h.append("<h1>int8 check of ").append(Html.escape(r.request().model().getFileName().toString()))
                .append(" <small>(model ").append(r.model().id()).append(")</small></h1>\n<table>\n");
        row(h, "dataset", r.dataset().name() + " (" + e.images() + " test images)");
        row(h, "float accuracy", pct(r.floatAccuracy()) + (e.hasFloat() ? "" : " (recorded)"));
        row(h, "int8 accuracy", pct(r.int8Accuracy()));
        row(h, "drop", String.format(Locale.ROOT, "%+.2f pp", r.dropPp()));
        row(h, "agreement", e.hasFloat() ? pct(e.agreement()) : "n/a");
        row(h, "result", r.passed() ? "passed" : "FAILED");
        h.append("</table>\n<h2>Per class</h2>\n<table><tr><th>class</th><th>images</th><th>float</th><th>int8</th></tr>\n");
        for (int c = 0; c < e.labels().size(); c++) {
            h.append("<tr><td>").append(Html.escape(e.labels().get(c))).append("</td><td>").append(e.classCount(c))
                    .append("</td><td>").append(e.hasFloat() ? pct(e.classAccuracy(e.floatPredictions(), c)) : "-")
                    .append("</td><td>").append(pct(e.classAccuracy(e.int8Predictions(), c))).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>int8 confusion matrix</h2>\n<img src=\"confusion-int8.png\" alt=\"confusion matrix\">\n");
        h.append("<h2>Disagreements</h2>\n<img src=\"disagreements.png\" alt=\"images where float and int8 disagree\">\n");
        h.append("<p><a href=\"check.json\">check.json</a></p>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(Html.escape(key)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
