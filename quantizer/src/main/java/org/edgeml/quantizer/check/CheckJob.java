package org.edgeml.quantizer.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.io.Sha256;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.Dataset;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.data.Datasets;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;

/**
 * The whole of {@code edgeml check}: load the int8 model exactly as the device does (golden vectors
 * included), run a test set through it and through the float model, and judge the gates.
 */
public final class CheckJob {

    /**
     * @param floatModel  the float model to compare with; null means the one recorded in the int8 model
     *                    (used when it still exists unchanged), else the recorded float accuracy alone
     * @param dataset     null means the dataset recorded in the int8 model; otherwise its seed is replaced by
     *                    the recorded one, so a folder dataset splits as it did at training time
     * @param minAccuracy the lowest int8 accuracy that passes (0..1), or NaN for no gate
     * @param maxDropPp   the largest float-to-int8 drop in percentage points that passes, or NaN
     * @param labelsByPosition match a given dataset's classes to the model's by order, not by name
     */
    public record Request(Path model, Path floatModel, DatasetSpec dataset, double minAccuracy, double maxDropPp,
                          boolean labelsByPosition) {
        public Request(Path model, Path floatModel, DatasetSpec dataset, double minAccuracy, double maxDropPp) {
            this(model, floatModel, dataset, minAccuracy, maxDropPp, false);
        }

        public Request {
            if (!Double.isNaN(minAccuracy) && !(minAccuracy >= 0 && minAccuracy <= 1)) {
                throw new EdgemlException("--min-accuracy must be between 0 and 1 (e.g. 0.85), got " + minAccuracy);
            }
            if (!Double.isNaN(maxDropPp) && !(maxDropPp >= 0 && maxDropPp <= 100)) {
                throw new EdgemlException("--max-drop must be between 0 and 100 percentage points, got " + maxDropPp);
            }
        }
    }

    /**
     * @param floatSource where the float side came from: a file, or "recorded" (accuracy from the model file)
     */
    public record Result(LoadedModel model, Evaluation evaluation, double floatAccuracy, String floatSource,
                         Dataset dataset, Request request) {
        public double int8Accuracy() {
            return evaluation.int8Accuracy();
        }

        public double dropPp() {
            return Evaluation.dropPp(floatAccuracy, int8Accuracy());
        }

        public boolean passed() {
            boolean accuracyOk = Double.isNaN(request.minAccuracy()) || int8Accuracy() >= request.minAccuracy();
            boolean dropOk = Double.isNaN(request.maxDropPp()) || Double.isNaN(floatAccuracy)
                    || dropPp() <= request.maxDropPp() + 1e-9;
            return accuracyOk && dropOk;
        }
    }

    private CheckJob() {}

    public static Result run(Request request, PrintStream log) {
        LoadedModel loaded = Q8ModelFile.read(request.model());
        Q8Model model = loaded.model();
        Int8Engine engine = new Int8Engine(model);
        engine.requireGoldens(request.model().toString());
        Path floatPath = request.floatModel() != null ? request.floatModel() : recordedFloatModel(model, log);
        FloatNetwork network = floatPath == null ? null : new FloatNetwork(FloatModelFile.read(floatPath));
        if (network != null && !network.model().labels().equals(model.labels())) {
            throw new EdgemlException(floatPath + " has labels " + network.model().labels() + " but " + request.model()
                    + " has " + model.labels() + ": they are not the same model");
        }
        DatasetSpec recorded = recordedDataset(model);
        Dataset dataset = ClassMatching.align(Datasets.loadFor(request.dataset() != null
                ? request.dataset().withSeed(recorded.seed()) : recorded, model.input().shape(), request.model().toString(), log),
                model.labels(), request.model().toString(), request.labelsByPosition(), log);
        Evaluation evaluation = Evaluator.evaluate(engine, network, dataset.test(), model.labels(), log);
        double floatAccuracy = network != null ? evaluation.floatAccuracy() : model.info().floatAccuracy();
        return new Result(loaded, evaluation, floatAccuracy, floatPath != null ? floatPath.toString() : "recorded",
                dataset, request);
    }

    /** The float model the int8 model was made from, if it is still there and unchanged. */
    private static Path recordedFloatModel(Q8Model model, PrintStream log) {
        String path = model.info().properties().get("float_model");
        String sha = model.info().properties().get("float_model_sha256");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            log.println("edgeml: the float model is not available; comparing with the float accuracy recorded"
                    + " at quantization (pass --float FILE for agreement)");
            return null;
        }
        try {
            if (sha != null && !sha.equals(Sha256.hex(Path.of(path)))) {
                log.println("edgeml: " + path + " changed since quantization; comparing with the recorded float accuracy");
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return Path.of(path);
    }

    private static DatasetSpec recordedDataset(Q8Model model) {
        String name = model.info().dataset();
        String source = model.info().properties().get("dataset_source");
        long seed = Long.parseLong(model.info().properties().getOrDefault("seed", "42"));
        return DatasetSpec.recorded(name, source, seed);
    }
}
