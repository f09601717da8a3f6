package org.edgeml.importer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.core.json.Json;
import org.edgeml.host.data.KnownDataset;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.InputSpec;
import org.edgeml.importer.ImportException;
import org.edgeml.importer.ImportJob;
import org.edgeml.importer.ImportOptions;
import org.edgeml.importer.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeml import FILE --out F.zip}. */
@Command(name = "import", header = "Import a float model trained elsewhere (ONNX, Keras .h5) as an edgeml float model.",
        mixinStandardHelpOptions = true,
        description = "Turn an ONNX model (torch.onnx.export, tf2onnx) or a Keras .h5/.keras file into edgeml's float"
            + " model file, which quantize, check, export-c, bench and deploy take as they take their own."
            + " Exit 0 imported, 2 for a model or option edgeml cannot take (nothing is written).")
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The model to import: .onnx, .h5, .hdf5 or .keras.")
    Path source;

    @Option(names = "--out", paramLabel = "F.zip", description = "The float model file to write (default: FILE with .zip).")
    Path out;

    @Option(names = "--labels", paramLabel = "NAME|FILE",
            description = "Class names: a known dataset's (fashion-mnist, mnist; also recorded as the model's dataset)"
                + " or a text file with one label per line (default: 0..N-1).")
    String labels;

    @Option(names = "--input", paramLabel = "HxWxC", description = "The input size when the file does not fix it, e.g. 28x28x1.")
    String input;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "0.00392156862745098",
            description = "Training input was raw pixel * S + OFFSET before the graph (default: 1/255).")
    double scale;

    @Option(names = "--offset", paramLabel = "OFFSET", defaultValue = "0", description = "See --scale (default: 0).")
    double offset;

    @Option(names = "--invert", description = "Training images were inverted (p -> 255 - p) before scaling.")
    boolean invert;

    @Option(names = "--mean", paramLabel = "M[,M,M]", split = ",",
            description = "Per-channel mean subtracted after --scale/--offset (torchvision Normalize), with --std.")
    double[] mean;

    @Option(names = "--std", paramLabel = "S[,S,S]", split = ",", description = "Per-channel standard deviation, with --mean.")
    double[] std;

    @Option(names = "--json", description = "Print one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() {
        Path target = out != null ? out : defaultOut(source);
        ImportJob.Result result = ImportJob.run(new ImportJob.Request(source, target, options()), System.err);
        if (json) {
            System.out.println(Json.write(toJson(result)));
        } else {
            System.out.print(summary(result));
        }
        return 0;
    }

    /** The options as the job takes them. */
    public ImportOptions options() {
        List<String> names = null;
        String dataset = null;
        if (labels != null) {
            var known = KnownDataset.byId(labels);
            if (known.isPresent()) {
                names = known.get().labels;
                dataset = known.get().id;
            } else {
                names = readLabels(Path.of(labels));
            }
        }
        return new ImportOptions(names, dataset, input == null ? null : ImportOptions.InputDims.parse(input),
                new Preprocessing(scale, offset, invert, mean, std));
    }

    static List<String> readLabels(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ImportException("--labels " + file + " is neither a known dataset (fashion-mnist, mnist) nor a file:"
                    + " give a dataset name or a text file with one label per line");
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            if (names.isEmpty()) {
                throw new ImportException("--labels " + file + " has no labels: write one label per line");
            }
            return names;
        } catch (IOException e) {
            throw new ImportException("cannot read --labels " + file + ": " + e.getMessage());
        }
    }

    static Path defaultOut(Path source) {
        String name = source.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return source.resolveSibling(name + ".zip");
    }

    static String summary(ImportJob.Result r) {
        StringBuilder s = new StringBuilder();
        FloatModel m = r.model();
        for (Map<String, Object> l : ImportJob.layers(m)) {
            s.append(String.format(Locale.ROOT, "  %-20s %-10s -> %-10s %-10s %,d parameters%n", l.get("type"),
                    l.get("input"), l.get("output"), l.get("activation"), (Long) l.get("parameters")));
        }
        InputSpec in = m.input();
        s.append(String.format(Locale.ROOT, "input %dx%dx%d, x = %s * %.6g + %.6g%n", in.height(), in.width(), in.channels(),
                in.invert() ? "(255 - p)" : "p", in.scale(), in.offset()));
        s.append(String.format(Locale.ROOT, "%d labels: %s%n", m.labels().size(), String.join(", ", m.labels())));
        s.append(String.format(Locale.ROOT, "wrote %s (%s, %,d parameters)%n", r.file(),
                r.format().name().toLowerCase(Locale.ROOT), m.parameterCount()));
        return s.toString();
    }

    static Map<String, Object> toJson(ImportJob.Result r) {
        FloatModel m = r.model();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", r.file().toString());
        o.put("format", r.format().name().toLowerCase(Locale.ROOT));
        InputSpec in = m.input();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("height", in.height());
        input.put("width", in.width());
        input.put("channels", in.channels());
        input.put("invert", in.invert());
        input.put("scale", in.scale());
        input.put("offset", in.offset());
        o.put("input", input);
        o.put("labels", m.labels());
        o.put("parameters", m.parameterCount());
        o.put("layers", ImportJob.layers(m));
        return o;
    }
}
