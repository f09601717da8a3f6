package org.edgeml.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgeml.core.json.Json;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.importer.cli.ImportCommand;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Each fixture is a PyTorch model exported by torch.onnx.export with PyTorch's own outputs on a few raw
 * inputs (src/test/fixtures/make_fixtures.py): the imported model, written and read back, must give the
 * same logits to 1e-4.
 */
class OnnxFixturesTest {
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dense_mlp", "dense_activations", "cnn", "batchnorm", "nhwc", "depthwise", "gelu"})
    void importedModelGivesPyTorchsOutputs(String name) throws Exception {
        assertSameOutputs(name, ".onnx", dir);
    }

    /** Imports fixture {@code name + ext} and compares its logits with the framework's. */
    static void assertSameOutputs(String name, String ext, Path dir) throws Exception {
        Map<String, Object> fixture = Json.parseObject(Files.readString(fixture(name + ".json")));
        FloatModel model = importFixture(name + ext, strings(fixture.get("args")), dir);
        FloatNetwork network = new FloatNetwork(model);
        List<?> inputs = (List<?>) fixture.get("inputs");
        List<?> outputs = (List<?>) fixture.get("outputs");
        for (int k = 0; k < inputs.size(); k++) {
            List<?> raw = (List<?>) inputs.get(k);
            byte[] pixels = new byte[raw.size()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (byte) ((Number) raw.get(i)).intValue();
            }
            float[] logits = network.logits(network.input(pixels));
            List<?> expected = (List<?>) outputs.get(k);
            assertEquals(expected.size(), logits.length, name + " outputs");
            for (int i = 0; i < logits.length; i++) {
                double want = ((Number) expected.get(i)).doubleValue();
                assertTrue(Math.abs(logits[i] - want) <= TOLERANCE,
                        name + " input " + k + " output " + i + ": edgeml " + logits[i] + ", PyTorch " + want);
            }
        }
    }

    /** Imports a fixture as {@code edgeml import} does and reads the written file back. */
    static FloatModel importFixture(String file, List<String> args, Path dir) throws URISyntaxException {
        ImportCommand command = new ImportCommand();
        List<String> all = new ArrayList<>(args);
        all.add(fixture(file).toString());
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        Path out = dir.resolve(file + ".zip");
        ImportJob.run(new ImportJob.Request(fixture(file), out, command.options()),
                new PrintStream(new ByteArrayOutputStream()));
        return FloatModelFile.read(out);
    }

    static Path fixture(String file) throws URISyntaxException {
        return Path.of(OnnxFixturesTest.class.getResource("/fixtures/" + file).toURI());
    }

    private static List<String> strings(Object list) {
        List<String> s = new ArrayList<>();
        for (Object o : (List<?>) list) {
            s.add(o.toString());
        }
        return s;
    }
}
