package org.edgeml.quantizer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.security.ModelVerifier;
import org.edgeml.host.io.OutputPaths;
import org.edgeml.quantizer.check.CheckJob;
import org.edgeml.quantizer.check.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeml check MODEL.q8 [--float FLOAT_MODEL]}. */
@Command(name = "check", header = "Compare int8 and float accuracy on a test set with the device's own engine; gate on it.", mixinStandardHelpOptions = true,
        description = "Run a test set through the int8 model with the device's own integer engine, and through "
            + "the float model; compare accuracy and agreement, and gate on them (exit 0 passed, 1 failed, 2 bad input).")
public final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.q8", description = "The int8 model file.")
    Path model;

    @Option(names = "--float", paramLabel = "FLOAT_MODEL",
            description = "The float model to compare with (default: the one recorded in MODEL.q8, if unchanged).")
    Path floatModel;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--labels-by-position",
            description = "Match the dataset's classes to the model's by their order even when their names differ.")
    boolean labelsByPosition;

    @Option(names = "--min-accuracy", paramLabel = "A", description = "Fail (exit 1) when int8 accuracy is below A (0..1).")
    Double minAccuracy;

    @Option(names = "--max-drop", paramLabel = "PP",
            description = "Fail (exit 1) when int8 accuracy is more than PP percentage points below float.")
    Double maxDrop;

    @Option(names = "--json", description = "Print one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write an HTML report: confusion matrix and the images where float and int8 disagree.")
    Path report;

    @Option(names = "--trusted-key", paramLabel = "PUB",
            description = "Refuse (exit 3) unless the model is signed by this public key, as a device with --trusted-key would.")
    Path trustedKey;

    @Override
    public Integer call() {
        if (report != null) {
            OutputPaths.requireWritableDirectory(report, "--report");
        }
        if (trustedKey != null) {
            ModelVerifier verifier = ModelVerifier.trusting(trustedKey, "--trusted-key");
            verifier.problemWith(Q8ModelFile.read(model)).ifPresent(problem -> {
                throw new EdgemlException(model + ": refused: " + problem, EdgemlException.EXIT_MODEL_REFUSED, null);
            });
        }
        CheckJob.Request request = new CheckJob.Request(model, floatModel,
                datasetOptions.override(),
                minAccuracy == null ? Double.NaN : minAccuracy, maxDrop == null ? Double.NaN : maxDrop, labelsByPosition);
        CheckJob.Result result = CheckJob.run(request, System.err);
        if (report != null) {
            writeReport(result);
        }
        if (json) {
            System.out.println(Json.write(toJson(result)));
        } else {
            System.out.print(summary(result));
        }
        return result.passed() ? 0 : EdgemlException.EXIT_GATE_FAILED;
    }

    /** Hook for the HTML report; see {@link CheckReport}. */
    private void writeReport(CheckJob.Result result) {
        CheckReport.write(result, report, System.err);
    }

    static String summary(CheckJob.Result r) {
        Evaluation e = r.evaluation();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model %s  id %s  dataset %s (%d test images)%n",
                r.request().model(), r.model().id(), r.dataset().name(), e.images()));
        s.append(r.model().signatureIfAny().map(sig -> "signed by key " + sig.keyId()).orElse("not signed")).append('\n');
        TextTable perClass = new TextTable("class", "images", "float", "int8");
        for (int c = 0; c < e.labels().size(); c++) {
            perClass.row(e.labels().get(c), e.classCount(c),
                    e.hasFloat() ? pct(e.classAccuracy(e.floatPredictions(), c)) : "-",
                    pct(e.classAccuracy(e.int8Predictions(), c)));
        }
        s.append(perClass);
        s.append(String.format(Locale.ROOT, "%nfloat accuracy  %s%s%n", pct(r.floatAccuracy()),
                e.hasFloat() ? "" : "  (recorded at quantization)"));
        s.append(String.format(Locale.ROOT, "int8 accuracy   %s%n", pct(r.int8Accuracy())));
        s.append(String.format(Locale.ROOT, "drop            %+.2f pp%n", r.dropPp()));
        s.append(String.format(Locale.ROOT, "agreement       %s%n", e.hasFloat() ? pct(e.agreement()) : "n/a (no float model)"));
        s.append(String.format(Locale.ROOT, "int8 pass       %,.0f images/s in this one pass, JIT warm-up included"
                + " (one thread, preprocessing included; %s kernel; 'edgeml bench' measures steady speed)%n",
                e.int8ImagesPerSecond(), e.int8Kernel()));
        s.append(gates(r));
        return s.toString();
    }

    private static String gates(CheckJob.Result r) {
        List<String> parts = new ArrayList<>();
        if (!Double.isNaN(r.request().minAccuracy())) {
            parts.add(String.format(Locale.ROOT, "int8 accuracy >= %s", pct(r.request().minAccuracy())));
        }
        if (!Double.isNaN(r.request().maxDropPp())) {
            parts.add(String.format(Locale.ROOT, "drop <= %.2f pp", r.request().maxDropPp()));
        }
        if (parts.isEmpty()) {
            return "";
        }
        return (r.passed() ? "PASSED: " : "FAILED: ") + String.join(", ", parts) + "\n";
    }

    static Map<String, Object> toJson(CheckJob.Result r) {
        Evaluation e = r.evaluation();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", r.model().id());
        o.put("model_id", r.model().id());
        o.put("model_file", r.request().model().toString());
        o.put("signed_by", r.model().signatureIfAny().map(sig -> sig.keyId()).orElse(null));
        o.put("dataset", r.dataset().name());
        o.put("images", e.images());
        o.put("float_accuracy", r.floatAccuracy());
        o.put("float_source", r.floatSource());
        o.put("int8_accuracy", r.int8Accuracy());
        o.put("drop_pp", r.dropPp());
        o.put("agreement", e.hasFloat() ? e.agreement() : null);
        List<Object> perClass = new ArrayList<>();
        for (int c = 0; c < e.labels().size(); c++) {
            Map<String, Object> pc = new LinkedHashMap<>();
            pc.put("class", c);
            pc.put("label", e.labels().get(c));
            pc.put("images", e.classCount(c));
            pc.put("float_accuracy", e.hasFloat() ? e.classAccuracy(e.floatPredictions(), c) : null);
            pc.put("int8_accuracy", e.classAccuracy(e.int8Predictions(), c));
            perClass.add(pc);
        }
        o.put("per_class", perClass);
        o.put("images_per_s", e.int8ImagesPerSecond());
        o.put("kernel", e.int8Kernel());
        o.put("min_accuracy", Double.isNaN(r.request().minAccuracy()) ? null : r.request().minAccuracy());
        o.put("max_drop_pp", Double.isNaN(r.request().maxDropPp()) ? null : r.request().maxDropPp());
        o.put("passed", r.passed());
        return o;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
