package org.edgeml.trainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Shape;
import org.edgeml.host.data.Dataset;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.data.Datasets;
import org.edgeml.host.data.Split;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.io.OutputPaths;
import org.edgeml.trainer.report.TrainingReport;

/**
 * The whole of {@code edgeml train}: load the dataset, split off validation images, train, write the
 * float model file and, when asked, the report. Shared by the {@code train} and {@code demo} commands.
 */
public final class TrainJob {

    /** The training outcome and the metrics written to {@code --json} and {@code metrics.json}. */
    public record Result(TrainingResult training, Map<String, Object> metrics) {}

    private TrainJob() {}

    /** {@link #run(TrainingRecipe, DatasetSpec, Shape, Path, Path, PrintStream)} at the dataset's own input size. */
    public static Result run(TrainingRecipe recipe, DatasetSpec datasetSpec, Path out, Path report, PrintStream progress) {
        return run(recipe, datasetSpec, null, out, report, progress);
    }

    /**
     * @param input the model's input {@code H x W x C} ({@code --input}): folder images are resized to it and
     *              an IDX dataset must have it; null means the IDX files' own size, or 28x28x1 for a folder
     * @param report the report directory, or null for none
     */
    public static Result run(TrainingRecipe recipe, DatasetSpec datasetSpec, Shape input, Path out, Path report,
                             PrintStream progress) {
        OutputPaths.requireWritableFile(out, "--out");
        if (report != null) {
            OutputPaths.requireWritableDirectory(report, "--report");
        }
        Dataset loaded = input == null ? Datasets.load(datasetSpec, progress)
                : Datasets.loadFor(datasetSpec, input, "the model (--input)", progress);
        LabeledImages images = loaded.train();
        if (recipe.hasLayerSpec()) {
            LayerShapes.check(recipe.layers(), new Shape(images.rows(), images.cols(), images.channels()));
        }
        Split split = Split.of(loaded.train(), recipe.validationFraction(), recipe.seed());
        progress.printf(Locale.ROOT, "training %s on %s: %d training, %d validation, %d test images%n",
                recipe.architecture(loaded.train().imageSize(), loaded.classes()), loaded.name(),
                split.train().count(), split.validation().count(), loaded.test().count());
        TrainingResult result = new Trainer(recipe, progress).train(loaded, split.train(), split.validation());

        FloatModelFile.write(result.model(), out, result.dl4jNetwork());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("model", out.toString());
        if (report != null) {
            metrics.put("report", report.resolve("index.html").toString());
        }
        metrics.putAll(result.metrics());
        if (report != null) {
            TrainingReport.write(report, result, metrics);
        }
        return new Result(result, metrics);
    }
}
