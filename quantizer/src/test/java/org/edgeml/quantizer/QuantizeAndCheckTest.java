package org.edgeml.quantizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.check.CheckJob;
import org.edgeml.quantizer.cli.CheckCommand;
import org.edgeml.quantizer.cli.QuantizeCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuantizeAndCheckTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path dir;
    static Path floatFile;
    static Path q8;
    static QuantizeJob.Result result;

    @BeforeAll
    static void quantizeOnce() throws Exception {
        FloatModel model = TestModels.random(3, Activation.RELU, 128, 10);
        floatFile = TestModels.writeModelAndData(dir, model, 600, 1000);
        q8 = dir.resolve("model.q8");
        result = QuantizeJob.run(new QuantizeJob.Request(floatFile, q8, 300, CalibrationMethod.MINMAX,
                new DatasetSpec("idx", dir.resolve("data"), 7)), QUIET);
    }

    @Test
    void writesAValidSelfCheckingModelThatAgreesWithTheFloatModel() {
        LoadedModel loaded = Q8ModelFile.read(q8);
        assertEquals(result.model().id(), loaded.id());
        assertTrue(loaded.id().matches("[0-9a-f]{12}"));
        assertTrue(loaded.model().goldens().size() >= 8, "at least 8 golden vectors");
        assertTrue(new Int8Engine(loaded.model()).verifyGoldens().isEmpty());
        assertEquals(1.0, result.evaluation().floatAccuracy(), 1e-9, "the teacher labelled the images");
        assertTrue(result.evaluation().agreement() >= 0.95, "agreement " + result.evaluation().agreement());
        assertEquals(result.evaluation().int8Accuracy(), loaded.model().info().int8Accuracy(), 1e-12);
        assertTrue(result.fileBytes() <= 0.30 * result.floatWeightBytes(),
                result.fileBytes() + " bytes vs " + result.floatWeightBytes() + " float bytes");
        assertEquals(floatFile.toAbsolutePath().normalize().toString(), loaded.model().info().properties().get("float_model"));
    }

    @Test
    void checkFindsTheRecordedFloatModelAndDatasetAndGates() {
        CheckJob.Result pass = CheckJob.run(new CheckJob.Request(q8, null, null, 0.5, 5), QUIET);
        assertTrue(pass.evaluation().hasFloat());
        assertEquals(result.evaluation().int8Accuracy(), pass.int8Accuracy(), 1e-12, "same engine, same images, same answer");
        assertTrue(pass.passed());
        CheckJob.Result fail = CheckJob.run(new CheckJob.Request(q8, null, null, 1.0, 0), QUIET);
        assertFalse(fail.passed() && fail.int8Accuracy() < 1.0);
    }

    @Test
    void checkCommandExitCodesAndJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true));
        int passed;
        int failed;
        try {
            passed = new CommandLine(new CheckCommand()).execute(q8.toString(), "--json", "--min-accuracy", "0.5");
            failed = new CommandLine(new CheckCommand()).execute(q8.toString(), "--min-accuracy", "1.0", "--max-drop", "0");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, passed);
        assertEquals(result.evaluation().int8Accuracy() < 1.0 ? 1 : 0, failed);
        assertTrue(out.toString().contains(" images/s in this one pass, JIT warm-up included"),
                "check names what its speed measures: " + out);
        String json = out.toString().lines().findFirst().orElseThrow();
        Map<String, Object> o = Json.parseObject(json);
        for (String key : List.of("float_accuracy", "int8_accuracy", "drop_pp", "agreement", "per_class", "model", "passed")) {
            assertTrue(o.containsKey(key), key + " in " + json);
        }
        assertEquals(result.model().id(), o.get("model"));
        assertEquals(result.model().id(), o.get("model_id"));
        assertEquals(Boolean.TRUE, o.get("passed"));
        assertEquals(10, ((List<?>) o.get("per_class")).size());
    }

    /** The id the guide describes: SHA-256 of the bytes before the DGST chunk (an unsigned file ends with it). */
    @Test
    void checkPrintsTheModelIdAsTheGuideDefinesIt() throws Exception {
        byte[] file = Files.readAllBytes(q8);
        int dgst = file.length - 8 - 32;
        assertEquals("DGST", new String(file, dgst, 4, java.nio.charset.StandardCharsets.US_ASCII));
        java.util.HexFormat hex = java.util.HexFormat.of();
        String id = hex.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                java.util.Arrays.copyOf(file, dgst))).substring(0, 12);
        String wholeFile = hex.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(file)).substring(0, 12);
        assertTrue(!id.equals(wholeFile));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            assertEquals(0, new CommandLine(new CheckCommand()).execute(q8.toString()));
        } finally {
            System.setOut(stdout);
        }
        assertTrue(out.toString().lines().findFirst().orElseThrow().contains("  id " + id + "  "), out.toString());
    }

    @Test
    void checkReportWritesHtmlAndPngs() throws Exception {
        Path report = dir.resolve("report");
        int code = new CommandLine(new CheckCommand()).execute(q8.toString(), "--report", report.toString());
        assertEquals(0, code);
        assertTrue(Files.readString(report.resolve("index.html")).contains("confusion-int8.png"));
        assertNotNull(javax.imageio.ImageIO.read(report.resolve("confusion-int8.png").toFile()));
        assertNotNull(javax.imageio.ImageIO.read(report.resolve("disagreements.png").toFile()));
    }

    @Test
    void quantizeCommandPrintsOneJsonObject() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(QUIET);
        int code;
        try {
            code = new CommandLine(new QuantizeCommand()).execute(floatFile.toString(), "--out",
                    dir.resolve("again.q8").toString(), "--calibration", "50", "--method", "percentile", "--json",
                    "--dataset", "idx", "--data", dir.resolve("data").toString());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertEquals(0, code);
        Map<String, Object> o = Json.parseObject(out.toString().strip());
        assertEquals("percentile", o.get("method"));
        assertEquals(Q8ModelFile.read(dir.resolve("again.q8")).id(), o.get("model_id"));
        assertEquals(o.get("model_id"), o.get("model"), "model stays the id it always was");
        assertEquals(2, ((List<?>) o.get("layers")).size());
        assertTrue(((Number) o.get("int8_accuracy")).doubleValue() > 0.8);
    }

    @Test
    void askingForMoreCalibrationImagesThanThereAreSaysHowManyAreUsed() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        QuantizeJob.Result r = QuantizeJob.run(new QuantizeJob.Request(floatFile, dir.resolve("all.q8"), 5000,
                CalibrationMethod.MINMAX, new DatasetSpec("idx", dir.resolve("data"), 7)), new PrintStream(log, true));
        int trainImages = r.dataset().train().count();
        assertEquals(trainImages, r.calibration().images());
        assertTrue(log.toString().contains("--calibration 5000 asks for more than the " + trainImages
                + " training images there are; calibrating on all " + trainImages), log.toString());
    }

    @Test
    void dropIsRoundedAndTheModelIdHasItsOwnKey() {
        assertEquals(-0.03, org.edgeml.quantizer.check.Evaluation.dropPp(0.8567, 0.857), 0.0);
        assertEquals("-0.03", Double.toString(org.edgeml.quantizer.check.Evaluation.dropPp(0.8567, 0.857)));
        assertEquals(0.01, org.edgeml.quantizer.check.Evaluation.dropPp(0.9001, 0.9), 0.0);
    }

    @Test
    void sigmoidAndTanhNetworksQuantizeThroughLookupTables() throws Exception {
        for (Activation a : List.of(Activation.SIGMOID, Activation.TANH, Activation.GELU)) {
            Path sub = Files.createDirectories(dir.resolve(a.cliName()));
            Path file = TestModels.writeModelAndData(sub, TestModels.random(5, a, 64, 10), 300, 500);
            QuantizeJob.Result r = QuantizeJob.run(new QuantizeJob.Request(file, sub.resolve("m.q8"), 200,
                    CalibrationMethod.MINMAX, new DatasetSpec("idx", sub.resolve("data"), 7)), QUIET);
            assertNotNull(r.model().model().layers().get(0).lookupTable(), a + " uses a lookup table");
            assertTrue(r.evaluation().agreement() >= 0.9, a + " agreement " + r.evaluation().agreement());
        }
    }

    @Test
    void badRequestsAreClearErrors() throws Exception {
        EdgemlException e = assertThrows(EdgemlException.class, () -> new QuantizeJob.Request(floatFile, q8, 0,
                CalibrationMethod.MINMAX, null));
        assertTrue(e.getMessage().contains("--calibration"));
        assertThrows(EdgemlException.class, () -> CalibrationMethod.parse("fancy"));
        assertThrows(EdgemlException.class, () -> new CheckJob.Request(q8, null, null, 87, Double.NaN));
        Path corrupt = dir.resolve("corrupt.q8");
        byte[] bytes = Files.readAllBytes(q8);
        bytes[bytes.length / 2] ^= 1;
        Files.write(corrupt, bytes);
        e = assertThrows(EdgemlException.class, () -> CheckJob.run(new CheckJob.Request(corrupt, null, null,
                Double.NaN, Double.NaN), QUIET));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("digest"), e.getMessage());
    }
}
