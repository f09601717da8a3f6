package org.edgeml.quantizer.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Requantization;
import org.edgeml.quantizer.QuantizeJob;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.check.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeml quantize FLOAT_MODEL --out FILE}. */
@Command(name = "quantize", header = "Quantize a float model to an int8 model file.", mixinStandardHelpOptions = true,
        description = "Quantize a float model to an int8 model file (per-channel int8 weights, int8 activations, "
            + "int32 biases, fixed-point requantization), with golden vectors and measured accuracies.")
public final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FLOAT_MODEL", description = "The float model written by 'edgeml train --out'.")
    Path floatModel;

    @Option(names = "--out", paramLabel = "FILE", description = "The int8 model file to write (default: FLOAT_MODEL with .q8).")
    Path out;

    @Option(names = "--calibration", paramLabel = "N", defaultValue = "500",
            description = "Training images used to calibrate activation ranges (default: ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "minmax",
            description = "How ranges are chosen: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CalibrationMethod method;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--sign", paramLabel = "KEY",
            description = "Sign the model with this Ed25519 private key from 'edgeml keygen' (KEY.pub must be beside it).")
    Path signingKey;

    @Option(names = "--json", description = "Print one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() {
        PrintStream log = System.err;
        Path target = out != null ? out : defaultOut(floatModel);
        QuantizeJob.Request request = new QuantizeJob.Request(floatModel, target, calibration,
                method, datasetOptions.override(), signingKey);
        QuantizeJob.Result result = QuantizeJob.run(request, log);
        if (json) {
            System.out.println(Json.write(toJson(result)));
        } else {
            System.out.print(summary(result));
        }
        return 0;
    }

    /** FLOAT_MODEL with .q8 for its extension; refused when that is FLOAT_MODEL itself. */
    static Path defaultOut(Path floatModel) {
        String name = floatModel.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path out = floatModel.resolveSibling(name + ".q8");
        if (out.equals(floatModel)) {
            throw new EdgemlException(floatModel + " already ends in .q8, so the default --out would replace it:"
                    + " give --out FILE.q8 (and name float models .zip)");
        }
        return out;
    }

    static String summary(QuantizeJob.Result r) {
        Q8Model m = r.model().model();
        TextTable table = new TextTable("layer", "shape", "activation", "weight scales", "output range", "bytes");
        for (int i = 0; i < m.features().size(); i++) {
            FeatureLayer f = m.features().get(i);
            float[] weightScales = weightScales(f);
            table.row("f" + i + " " + f.kind(), f.inputShape() + "->" + f.outputShape(), activation(f),
                    weightScales == null ? "-" : scales(weightScales), range(f.output()), layerBytes(f));
        }
        for (int i = 0; i < m.layers().size(); i++) {
            QuantizedDense l = m.layers().get(i);
            table.row(i, l.inputs() + "x" + l.outputs() + (l.isMaxout() ? " maxout " + l.pieces() : ""), l.activation().cliName(), scales(l.weightScales()),
                    range(l.output()), layerBytes(l));
        }
        Evaluation e = r.evaluation();
        StringBuilder s = new StringBuilder();
        s.append(table);
        s.append(String.format(Locale.ROOT, "%nmodel %s  id %s  %,d bytes (%.1f%% of the %,d float32 weight bytes)%n",
                r.file(), r.model().id(), r.fileBytes(), 100.0 * r.fileBytes() / r.floatWeightBytes(), r.floatWeightBytes()));
        r.model().signatureIfAny().ifPresent(sig -> s.append("signed by key ").append(sig.keyId()).append('\n'));
        s.append(String.format(Locale.ROOT, "calibration: %s on %d training images%n",
                r.calibration().method().cliName(), r.calibration().images()));
        s.append(String.format(Locale.ROOT,
                "test set (%d images): float %.2f%%  int8 %.2f%%  drop %+.2f pp  agreement %.2f%%%n",
                e.images(), 100 * e.floatAccuracy(), 100 * e.int8Accuracy(),
                Evaluation.dropPp(e.floatAccuracy(), e.int8Accuracy()), 100 * e.agreement()));
        return s.toString();
    }

    static Map<String, Object> toJson(QuantizeJob.Result r) {
        Q8Model m = r.model().model();
        Evaluation e = r.evaluation();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", r.model().id());
        o.put("model_id", r.model().id());
        o.put("file", r.file().toString());
        o.put("file_bytes", r.fileBytes());
        o.put("signed_by", r.model().signatureIfAny().map(sig -> sig.keyId()).orElse(null));
        o.put("float_weight_bytes", r.floatWeightBytes());
        o.put("size_ratio", (double) r.fileBytes() / r.floatWeightBytes());
        o.put("method", r.calibration().method().cliName());
        o.put("calibration_images", r.calibration().images());
        o.put("dataset", r.dataset().name());
        o.put("test_images", e.images());
        o.put("float_accuracy", e.floatAccuracy());
        o.put("int8_accuracy", e.int8Accuracy());
        o.put("drop_pp", Evaluation.dropPp(e.floatAccuracy(), e.int8Accuracy()));
        o.put("agreement", e.agreement());
        List<Object> layers = new ArrayList<>();
        for (QuantizedDense l : m.layers()) {
            Map<String, Object> lj = new LinkedHashMap<>();
            lj.put("inputs", l.inputs());
            lj.put("outputs", l.outputs());
            lj.put("pieces", l.pieces());
            lj.put("activation", l.activation().cliName());
            lj.put("weight_scale_min", min(l.weightScales()));
            lj.put("weight_scale_max", max(l.weightScales()));
            lj.put("output_scale", l.output().scale());
            lj.put("output_zero_point", l.output().zeroPoint());
            lj.put("output_min", l.output().dequantize(-128));
            lj.put("output_max", l.output().dequantize(127));
            lj.put("bytes", layerBytes(l));
            layers.add(lj);
        }
        o.put("layers", layers);
        List<Object> features = new ArrayList<>();
        for (FeatureLayer f : m.features()) {
            Map<String, Object> fj = new LinkedHashMap<>();
            fj.put("kind", f.kind());
            fj.put("input_shape", f.inputShape().toString());
            fj.put("output_shape", f.outputShape().toString());
            fj.put("activation", activation(f));
            float[] weightScales = weightScales(f);
            fj.put("weight_scale_min", weightScales == null ? null : min(weightScales));
            fj.put("weight_scale_max", weightScales == null ? null : max(weightScales));
            fj.put("output_scale", f.output().scale());
            fj.put("output_zero_point", f.output().zeroPoint());
            fj.put("output_min", f.output().dequantize(-128));
            fj.put("output_max", f.output().dequantize(127));
            fj.put("bytes", layerBytes(f));
            features.add(fj);
        }
        o.put("features", features);
        return o;
    }

    /** Bytes the layer's tables take in the model file: weights, then per channel bias, multiplier, shift, scale. */
    static long layerBytes(QuantizedDense l) {
        return (long) l.inputs() * l.rows() + 13L * l.rows() + (l.lookupTable() != null ? 256 : 0);
    }

    /** Bytes a feature layer's tables take: a convolution's weights, per channel bias, multiplier, shift, scale and its table. */
    static long layerBytes(FeatureLayer f) {
        if (f instanceof QuantizedConv2D c) {
            return c.weights().length + 13L * c.outputChannels() + tableBytes(c.requantization());
        }
        if (f instanceof QuantizedDepthwiseConv2D d) {
            return d.weights().length + 13L * d.inputShape().channels() + tableBytes(d.requantization());
        }
        return 0;
    }

    private static long tableBytes(Requantization r) {
        return r.lookupTable() != null ? 256 : 0;
    }

    private static float[] weightScales(FeatureLayer f) {
        if (f instanceof QuantizedConv2D c) {
            return c.weightScales();
        }
        return f instanceof QuantizedDepthwiseConv2D d ? d.weightScales() : null;
    }

    private static String activation(FeatureLayer f) {
        if (f instanceof QuantizedConv2D c) {
            return c.requantization().activation().cliName();
        }
        return f instanceof QuantizedDepthwiseConv2D d ? d.requantization().activation().cliName() : "-";
    }

    private static String scales(float[] s) {
        return String.format(Locale.ROOT, "%.2e..%.2e", min(s), max(s));
    }

    private static String range(QuantParams q) {
        return String.format(Locale.ROOT, "[%.3g, %.3g]", q.dequantize(-128), q.dequantize(127));
    }

    private static double min(float[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(float[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
