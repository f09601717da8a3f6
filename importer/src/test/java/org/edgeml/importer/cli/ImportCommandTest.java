package org.edgeml.importer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgeml.core.json.Json;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonReportsLayersAndTheFoldedInputSpec() throws Exception {
        Path onnx = Path.of(getClass().getResource("/fixtures/dense_mlp.onnx").toURI());
        Path out = dir.resolve("m.zip");
        Map<String, Object> o = Json.parseObject(run("--json", "--labels", "mnist", "--out", out.toString(), onnx.toString()));
        assertEquals(out.toString(), o.get("file"));
        assertEquals("onnx", o.get("format"));
        Map<?, ?> input = (Map<?, ?>) o.get("input");
        assertEquals(8, ((Number) input.get("height")).intValue());
        assertEquals(1, ((Number) input.get("channels")).intValue());
        // the graph computes (p/255 - 0.5) / 0.25 = p * 4/255 - 2
        assertEquals(4.0 / 255, ((Number) input.get("scale")).doubleValue(), 1e-12);
        assertEquals(-2.0, ((Number) input.get("offset")).doubleValue(), 1e-12);
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), o.get("labels"));
        List<?> layers = (List<?>) o.get("layers");
        assertEquals(2, layers.size());
        assertEquals("dense", ((Map<?, ?>) layers.get(0)).get("type"));
        assertEquals("relu", ((Map<?, ?>) layers.get(0)).get("activation"));
        assertEquals("identity", ((Map<?, ?>) layers.get(1)).get("activation"));
        assertEquals(64 * 16 + 16 + 16 * 10 + 10, ((Number) o.get("parameters")).intValue());
        assertEquals("mnist", FloatModelFile.read(out).metadata().get("dataset"));
    }

    @Test
    void labelsFromAFileAndTheDefaultOut() throws Exception {
        Path onnx = dir.resolve("cnn.onnx");
        Files.copy(Path.of(getClass().getResource("/fixtures/cnn.onnx").toURI()), onnx);
        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, "a\nb\n\nc\nd\ne\nf\ng\nh\ni\nj\n");
        run("--labels", labels.toString(), onnx.toString());
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), FloatModelFile.read(dir.resolve("cnn.zip")).labels());
    }

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream()));
            int code = new CommandLine(new ImportCommand()).execute(args);
            assertEquals(0, code);
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(!text.isEmpty());
        return text;
    }
}
