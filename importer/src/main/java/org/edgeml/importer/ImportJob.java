package org.edgeml.importer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.io.OutputPaths;
import org.edgeml.importer.keras.KerasImporter;
import org.edgeml.importer.onnx.OnnxImporter;

/**
 * {@code edgeml import}: reads a model trained elsewhere (ONNX, or a Keras .h5/.keras file) and writes it
 * as edgeml's float model file, which quantize, check, export-c, bench and deploy take as they take
 * their own. Nothing is written when the model is refused.
 */
public final class ImportJob {
    private ImportJob() {}

    public enum Format { ONNX, KERAS }

    public record Request(Path source, Path out, ImportOptions options) {}

    public record Result(Path file, Format format, FloatModel model) {}

    public static Result run(Request request, PrintStream log) {
        Path source = request.source();
        if (!Files.isRegularFile(source)) {
            throw new ImportException(source + " does not exist or is not a file: give the .onnx, .h5 or .keras file to import");
        }
        Format format = formatOf(source);
        OutputPaths.requireWritableFile(request.out(), "--out", source);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("imported_from", source.getFileName().toString());
        if (request.options().dataset() != null) {
            metadata.put("dataset", request.options().dataset());
        }
        log.println("importing " + source + " (" + format.name().toLowerCase(Locale.ROOT) + ")");
        FloatModel model = switch (format) {
            case ONNX -> OnnxImporter.read(source, request.options(), metadata);
            case KERAS -> KerasImporter.read(source, request.options(), metadata);
        };
        FloatModelFile.write(model, request.out(), null);
        return new Result(request.out(), format, model);
    }

    static Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            return Format.ONNX;
        }
        if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
            return Format.KERAS;
        }
        throw new ImportException(file + ": unknown model format: edgeml imports ONNX (.onnx) and Keras (.h5, .hdf5, .keras) files");
    }

    /** One line per layer, as the text summary and --json list them. */
    public static List<Map<String, Object>> layers(FloatModel model) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FloatFeatureLayer l : model.features()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("type", l.kind());
            o.put("input", shape(l.inputShape()));
            o.put("output", shape(l.outputShape()));
            if (l instanceof Conv2DLayer c) {
                o.put("window", c.window().toString());
            } else if (l instanceof DepthwiseConv2DLayer d) {
                o.put("window", d.window().toString());
            }
            o.put("activation", l.activation().cliName());
            o.put("parameters", l.parameterCount());
            out.add(o);
        }
        for (DenseLayer l : model.layers()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("type", l.isMaxout() ? "maxout" : "dense");
            o.put("input", l.inputs());
            o.put("output", l.outputs());
            o.put("activation", l.activation().cliName());
            o.put("parameters", l.parameterCount());
            out.add(o);
        }
        return out;
    }

    private static String shape(org.edgeml.core.model.Shape s) {
        return s.height() + "x" + s.width() + "x" + s.channels();
    }
}
