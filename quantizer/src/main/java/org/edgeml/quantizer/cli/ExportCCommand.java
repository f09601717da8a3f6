package org.edgeml.quantizer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.core.json.Json;
import org.edgeml.quantizer.export.CFootprint;
import org.edgeml.quantizer.export.ExportCJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeml export-c MODEL.q8 --out DIR}. */
@Command(name = "export-c", header = "Export an int8 model as portable C99 for microcontrollers.", mixinStandardHelpOptions = true,
        description = "Export an int8 model as portable C99 for microcontrollers: the tables as const arrays, "
            + "an integer-only inference bit-exact with the Java engine, and a self-test on the golden vectors.")
public final class ExportCCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.q8", description = "The int8 model file.")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "The directory to write the C files into (created if missing; files are replaced).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        ExportCJob.Result result = ExportCJob.run(new ExportCJob.Request(model, out));
        if (json) {
            System.out.println(Json.write(toJson(result)));
        } else {
            System.out.print(summary(result));
        }
        return 0;
    }

    static String summary(ExportCJob.Result r) {
        TextTable files = new TextTable("file", "bytes");
        for (ExportCJob.WrittenFile f : r.files()) {
            files.row(f.path(), f.bytes());
        }
        CFootprint m = r.footprint();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model %s  id %s  (%d golden vectors)%n", model(r),
                r.model().id(), r.model().model().goldens().size()));
        s.append(files);
        s.append(String.format(Locale.ROOT, "%ndevice memory: %,d bytes of const tables + %,d bytes of labels (flash),"
                + " %,d bytes of static RAM (activation buffers %,d: the largest activation is %,d bytes)%n",
                m.tableBytes(), m.labelBytes(), m.staticRamBytes(), m.scratchBytes(), m.maxHidden()));
        s.append(String.format(Locale.ROOT, "build and self-test: cd %s && cc -std=c99 -O2 -Wall -Wextra -pedantic"
                + " -o edgeml_selftest edgeml_selftest.c edgeml_infer.c && ./edgeml_selftest%n", r.outDir()));
        return s.toString();
    }

    static Map<String, Object> toJson(ExportCJob.Result r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", r.model().id());
        o.put("model_id", r.model().id());
        o.put("name", model(r));
        o.put("out", r.outDir().toString());
        List<Object> files = new ArrayList<>();
        for (ExportCJob.WrittenFile f : r.files()) {
            Map<String, Object> fj = new LinkedHashMap<>();
            fj.put("file", f.path().toString());
            fj.put("bytes", f.bytes());
            files.add(fj);
        }
        o.put("files", files);
        o.put("golden_vectors", r.model().model().goldens().size());
        o.put("table_bytes", r.footprint().tableBytes());
        o.put("label_bytes", r.footprint().labelBytes());
        o.put("scratch_bytes", r.footprint().scratchBytes());
        o.put("largest_activation_bytes", r.footprint().maxHidden());
        o.put("static_ram_bytes", r.footprint().staticRamBytes());
        return o;
    }

    private static String model(ExportCJob.Result r) {
        return r.model().model().info().name();
    }
}
