package org.edgeml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.host.data.IdxWriter;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code train} as the command line does, on synthetic IDX files. */
class TrainCommandTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void writeIdxDataset() throws IOException {
        data = dir.resolve("data");
        Files.createDirectories(data);
        IdxWriter.write(data, "train", SyntheticData.images(1200, 21));
        IdxWriter.write(data, "t10k", SyntheticData.images(300, 22));
    }

    record Run(int exitCode, String stdout, String stderr) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TrainCommand()).setCaseInsensitiveEnumValuesAllowed(true); // as the launcher
        cli.setParameterExceptionHandler((ex, args1) -> {
            ex.getCommandLine().getErr().println("edgeml: error: " + ex.getMessage());
            return 2;
        });
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            if (ex instanceof EdgemlException user) {
                commandLine.getErr().println("edgeml: error: " + user.getMessage());
                return user.exitCode();
            }
            throw ex;
        });
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonRunWritesModelAndReport() throws IOException {
        Path model = dir.resolve("out/model.zip");
        Path report = dir.resolve("report");
        Run run = run("--dataset", "idx", "--data", data.toString(), "--hidden", "24,12", "--epochs", "2",
                "--batch", "32", "--lr", "0.003", "--out", model.toString(), "--report", report.toString(), "--json");

        assertEquals(0, run.exitCode(), run.stderr());
        Map<String, Object> json = Json.parseObject(run.stdout().trim());
        assertEquals(model.toString(), json.get("model"));
        assertEquals(2L, json.get("epochs"));
        assertEquals(2, ((List<?>) json.get("epoch_seconds")).size());
        assertEquals(784L * 24 + 24 + 24 * 12 + 12 + 12 * 10 + 10, json.get("params"));
        double accuracy = ((Number) json.get("test_accuracy")).doubleValue();
        assertTrue(accuracy > 0.5, "test accuracy " + accuracy);
        assertTrue(json.containsKey("val_accuracy"));

        FloatModel read = FloatModelFile.read(model);
        assertEquals(3, read.layers().size());
        assertEquals(accuracy, ((Number) read.metadata().get("test_accuracy")).doubleValue(), 1e-12);
        assertTrue(FloatModelFile.readDl4jNetwork(model).isPresent());

        for (String png : List.of("loss.png", "accuracy.png", "confusion.png", "weights.png", "misclassified.png")) {
            BufferedImage image = ImageIO.read(report.resolve(png).toFile());
            assertNotNull(image, png + " is not a readable PNG");
            assertTrue(image.getWidth() >= 300 && image.getHeight() >= 60, png);
        }
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"), html);
        for (String png : List.of("loss.png", "accuracy.png", "confusion.png", "weights.png", "misclassified.png")) {
            assertTrue(html.contains("src=\"" + png + "\""), png);
        }
        Map<String, Object> metrics = Json.parseObject(Files.readString(report.resolve("metrics.json")));
        assertEquals(json.get("test_accuracy"), metrics.get("test_accuracy"));
    }

    @Test
    void activationsOfferedAreTheDocumentedOnes() {
        for (String name : List.of("identity", "linear", "swish")) {
            Run run = run("--dataset", "idx", "--data", data.toString(), "--activation", name);
            assertEquals(2, run.exitCode(), run.stderr());
            assertTrue(run.stderr().contains("relu, leakyrelu, tanh, sigmoid, elu"), run.stderr());
            assertTrue(!run.stderr().replace("'" + name + "'", "").contains("identity"), "identity is not offered: " + run.stderr());
        }
    }

    @Test
    void outputPathsAreCheckedBeforeTheDatasetIsRead() throws IOException {
        Path aFile = Files.writeString(dir.resolve("fashion.q8"), "not a directory");
        Path existingDir = Files.createDirectories(dir.resolve("models"));
        String missingData = dir.resolve("no-data").toString();
        for (String[] outputs : List.of(
                new String[] {"--out", aFile.resolve("x.zip").toString()},
                new String[] {"--out", existingDir.toString()},
                new String[] {"--out", dir.resolve("ok.zip").toString(), "--report", aFile.resolve("rep").toString()},
                new String[] {"--out", dir.resolve("ok.zip").toString(), "--report", aFile.toString()})) {
            List<String> args = new java.util.ArrayList<>(List.of("--dataset", "idx", "--data", missingData));
            args.addAll(List.of(outputs));
            Run run = run(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run.stderr());
            String flag = outputs[outputs.length - 2];
            assertTrue(run.stderr().startsWith("edgeml: error: " + flag + " "), "the output is named, not the dataset: " + run.stderr());
            assertTrue(!run.stderr().contains(".tmp"), "no temporary file in the message: " + run.stderr());
        }
        assertTrue(Files.notExists(dir.resolve("ok.zip")));
    }

    @Test
    void badFlagsExitTwoWithOneLine() {
        for (String[] args : List.of(
                new String[] {"--dataset", "idx", "--data", "x", "--activation", "swish"},
                new String[] {"--dataset", "idx", "--data", "x", "--optimizer", "rmsprop"},
                new String[] {"--dataset", "idx", "--data", "x", "--dropout", "1"},
                new String[] {"--dataset", "idx", "--data", "x", "--hidden", "0"},
                new String[] {"--dataset", "idx", "--data", "x", "--epochs", "0"},
                new String[] {"--dataset", "idx", "--data", dir.resolve("missing").toString()},
                new String[] {"--dataset", "idx"})) {
            Run run = run(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.stderr());
            assertTrue(run.stderr().startsWith("edgeml: error: "), run.stderr());
            assertEquals("", run.stdout());
        }
    }

    @Test
    void augmentedTrainingRecordsTheRecipeAndShowsSamples() throws IOException {
        Path model = dir.resolve("augmented/model.zip");
        Path report = dir.resolve("augmented-report");
        Run run = run("--dataset", "idx", "--data", data.toString(), "--hidden", "16", "--epochs", "1",
                "--batch", "32", "--augment", "--out", model.toString(), "--report", report.toString(), "--json");

        assertEquals(0, run.exitCode(), run.stderr());
        Map<?, ?> recipe = (Map<?, ?>) FloatModelFile.read(model).metadata().get("recipe");
        Map<?, ?> augment = (Map<?, ?>) recipe.get("augment");
        assertNotNull(augment, "the recipe records the augmentation: " + recipe);
        assertEquals(false, augment.get("flip"));
        BufferedImage samples = ImageIO.read(report.resolve("augmented.png").toFile());
        assertNotNull(samples);
        assertTrue(Files.readString(report.resolve("index.html")).contains("augmented.png"));
    }

    @Test
    void flipWithoutAugmentIsRefused() {
        Run run = run("--dataset", "idx", "--data", data.toString(), "--augment-flip", "--out", dir.resolve("x.zip").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("--augment-flip changes augmented images: add --augment"), run.stderr());
    }

    @Test
    void aTinyCnnFromALayerSpecTrainsAndShowsItsFilters() throws IOException {
        Path model = dir.resolve("cnn/model.zip");
        Path report = dir.resolve("cnn-report");
        Run run = run("--dataset", "idx", "--data", data.toString(), "--layers", "conv5x5:6:s2,bn,maxpool2,dense:16,dropout:0.2",
                "--epochs", "2", "--batch", "32", "--lr", "0.003", "--out", model.toString(), "--report", report.toString(), "--json");

        assertEquals(0, run.exitCode(), run.stderr());
        Map<String, Object> json = Json.parseObject(run.stdout().trim());
        double accuracy = ((Number) json.get("test_accuracy")).doubleValue();
        assertTrue(accuracy > 0.5, "test accuracy " + accuracy);
        assertEquals("conv5x5:6:s2:valid:relu,bn,maxpool2x2:s2:valid,dense:16:relu,dropout:0.2",
                ((Map<?, ?>) json.get("recipe")).get("layers"));
        // 28 -conv5 s2-> 12 -pool2-> 6: conv 5*5*6+6, dense 6*6*6*16+16, output 16*10+10 (bn folded away)
        FloatModel read = FloatModelFile.read(model);
        assertEquals(List.of("conv2d", "max_pool", "flatten"), read.features().stream().map(f -> f.kind()).toList());
        assertEquals(2, read.layers().size());
        assertEquals(5 * 5 * 6 + 6 + 216 * 16 + 16 + 16 * 10 + 10, read.parameterCount());

        BufferedImage filters = ImageIO.read(report.resolve("filters.png").toFile());
        assertNotNull(filters, "filters.png is a readable PNG");
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains("src=\"filters.png\"") && !html.contains("weights.png"), html);
    }

    @Test
    void layerChoicesThatContradictEachOtherAreRefused() {
        String[][] cases = {
                {"--arch", "cnn", "--layers", "dense:8", "--arch and --layers both choose the layers: give one of them"},
                {"--arch", "cnn", "--hidden", "64", "--hidden sets dense layers for --arch dense: with --arch cnn put dense:<units> into the layer spec"},
                {"--layers", "dense:8", "--dropout", "0.2", "--dropout is for --hidden layers: with --layers or --arch cnn put dropout:P into the layer spec"},
                {"--layers", "conv3x3:8,pool2", "--layers: 'pool2' is not a layer kind"},
                {"--layers", "conv9x9:8,maxpool2,conv11x11:8", "--layers: 'conv11x11:8:s1:valid:relu' (layer 3) does not fit its 10x10x8 input"},
                {"--arch", "lenet", "--arch"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("--dataset", "idx", "--data", data.toString(),
                    "--epochs", "1", "--out", dir.resolve("refused.zip").toString()));
            args.addAll(List.of(c).subList(0, c.length - 1));
            Run run = run(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run.stderr());
            List<String> errors = run.stderr().lines().filter(l -> l.startsWith("edgeml: error: ")).toList();
            assertEquals(1, errors.size(), run.stderr());
            assertTrue(errors.get(0).contains(c[c.length - 1]), run.stderr());
        }
        assertTrue(Files.notExists(dir.resolve("refused.zip")));
    }
}
