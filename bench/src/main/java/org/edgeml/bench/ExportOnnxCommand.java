package org.edgeml.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.bench.onnx.QdqOnnxExport;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.io.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeml export-onnx MODEL.q8 --out FILE.onnx}. */
@Command(name = "export-onnx", header = "Export an int8 model as an ONNX QDQ graph (for ONNX Runtime).", mixinStandardHelpOptions = true,
        description = "Export an int8 model as an ONNX QDQ graph (opset 13) for ONNX Runtime: uint8 activations "
            + "(edgeml's int8 + 128), per-channel int8 weights, int32 biases; a CNN's convolutions as QLinearConv, "
            + "its pools as MaxPool and com.microsoft QLinearAveragePool/QLinearGlobalAveragePool. Input 'input_u8' is "
            + "the model's int8 input + 128 (flat, HWC order); output 'logits_u8' is the int8 logits + 128.")
public final class ExportOnnxCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.q8", description = "The int8 model file.")
    Path model;

    @Option(names = "--out", paramLabel = "FILE.onnx", required = true, description = "The ONNX file to write (replaced).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        OutputPaths.requireWritableFile(out, "--out", model);
        LoadedModel loaded = Q8ModelFile.read(model);
        new Int8Engine(loaded.model()).requireGoldens(model.toString());
        byte[] onnx = QdqOnnxExport.export(loaded.model());
        try {
            AtomicFiles.write(out, onnx);
        } catch (IOException e) {
            throw new EdgemlException("cannot write " + out + " (" + e.getMessage() + "); check the directory exists and is writable", e);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", loaded.id());
            o.put("model_id", loaded.id());
            o.put("out", out.toString());
            o.put("bytes", onnx.length);
            o.put("input", QdqOnnxExport.INPUT);
            o.put("output", QdqOnnxExport.OUTPUT);
            System.out.println(Json.write(o));
        } else {
            System.out.printf(Locale.ROOT, "model %s  id %s -> %s (%,d bytes, ONNX opset 13, QDQ with uint8 activations)%n",
                    loaded.model().info().name(), loaded.id(), out, onnx.length);
        }
        return 0;
    }
}
