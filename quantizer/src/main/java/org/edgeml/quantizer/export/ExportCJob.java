package org.edgeml.quantizer.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.io.OutputPaths;

/**
 * The whole of {@code edgeml export-c}: read the int8 model, make sure the Java engine reproduces its
 * golden vectors (the C code is then held to the same vectors), and write the C sources into a
 * directory, each file atomically.
 */
public final class ExportCJob {

    public record Request(Path model, Path outDir) {
        public Request {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(outDir, "outDir");
        }
    }

    /** One written file and its size. */
    public record WrittenFile(Path path, long bytes) {}

    public record Result(LoadedModel model, Path outDir, List<WrittenFile> files, CFootprint footprint) {
        public Result {
            files = List.copyOf(files);
        }
    }

    private ExportCJob() {}

    public static Result run(Request request) {
        OutputPaths.requireWritableDirectory(request.outDir(), "--out");
        LoadedModel model = Q8ModelFile.read(request.model());
        new Int8Engine(model.model()).requireGoldens(request.model().toString());
        List<WrittenFile> written = new ArrayList<>();
        for (Map.Entry<String, String> file : CSources.generate(model).entrySet()) {
            Path path = request.outDir().resolve(file.getKey());
            byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
            try {
                AtomicFiles.write(path, bytes);
            } catch (IOException e) {
                throw new EdgemlException("cannot write " + path + " (" + e.getMessage() + "): check that "
                        + request.outDir() + " is a writable directory", e);
            }
            written.add(new WrittenFile(path, bytes.length));
        }
        return new Result(model, request.outDir(), written, CFootprint.of(model.model()));
    }
}
