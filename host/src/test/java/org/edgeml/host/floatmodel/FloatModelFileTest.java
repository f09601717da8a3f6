package org.edgeml.host.floatmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloatModelFileTest {
    @TempDir
    Path dir;

    static FloatModel model() {
        float[] w0 = new float[4 * 3];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (i - 5) * 0.25f;
        }
        DenseLayer hidden = new DenseLayer(4, 3, Activation.GELU, w0, new float[] {0.5f, -1f, 0f});
        DenseLayer out = new DenseLayer(3, 2, Activation.IDENTITY, new float[] {1, -1, 0.5f, -2, 3, 0.125f}, new float[] {0.1f, -0.2f});
        return new FloatModel(new InputSpec(2, 2, 1, true, 1 / 255.0, -0.5), List.of(hidden, out), List.of("cat", "dog"),
                Map.of("dataset", "test", "test_accuracy", 0.875, "recipe", Map.of("epochs", 3L)));
    }

    @Test
    void anInt8ModelGivenForTheFloatModelIsNamedForWhatItIs() {
        Path q8 = dir.resolve("fashion.q8");
        org.edgeml.core.model.Q8ModelFile.write(
                org.edgeml.core.engine.TestModels.model(3, 4, Activation.RELU, 6, 2), q8);
        EdgemlException e = assertThrows(EdgemlException.class, () -> FloatModelFile.read(q8));
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("this is an int8 model"), e.getMessage());
        assertTrue(e.getMessage().contains("give the float .zip"), e.getMessage());
        assertTrue(!e.getMessage().contains("train --out fashion.q8"), "no advice to overwrite the int8 model: " + e.getMessage());
    }

    @Test
    void roundTripKeepsEverything() {
        Path file = dir.resolve("m.zip");
        FloatModelFile.write(model(), file, new byte[] {1, 2, 3});
        FloatModel read = FloatModelFile.read(file);
        FloatModel expected = model();
        assertEquals(expected.input(), read.input());
        assertEquals(expected.labels(), read.labels());
        assertEquals(expected.metadata(), read.metadata());
        for (int l = 0; l < 2; l++) {
            DenseLayer a = expected.layers().get(l);
            DenseLayer b = read.layers().get(l);
            assertEquals(a.activation(), b.activation());
            assertArrayEquals(a.weights(), b.weights());
            assertArrayEquals(a.bias(), b.bias());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, FloatModelFile.readDl4jNetwork(file).orElseThrow());
        FloatModelFile.write(model(), file, null);
        assertTrue(FloatModelFile.readDl4jNetwork(file).isEmpty());
    }

    @Test
    void weightsAreLittleEndianOutputMajor() throws IOException {
        Path file = dir.resolve("m.zip");
        FloatModelFile.write(model(), file, null);
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry("layers/1/weights.f32"))) {
            byte[] b = in.readAllBytes();
            assertEquals(24, b.length);
            // weight[out 0][in 1] = -1 = 0xBF800000, stored little-endian at offset 4
            assertArrayEquals(new byte[] {0, 0, (byte) 0x80, (byte) 0xBF}, java.util.Arrays.copyOfRange(b, 4, 8));
        }
    }

    @Test
    void forwardPassComputesTheDefinition() {
        FloatNetwork net = new FloatNetwork(model());
        byte[] raw = {0, (byte) 255, 100, 50};
        float[] x = net.input(raw);
        assertEquals(255 / 255.0 - 0.5, x[0], 1e-6); // inverted
        float[][] pre = net.preActivations(x);
        float[][] post = net.activations(x);
        DenseLayer h = model().layers().get(0);
        for (int o = 0; o < 3; o++) {
            double z = h.bias()[o];
            for (int i = 0; i < 4; i++) {
                z += h.weight(o, i) * x[i];
            }
            assertEquals(z, pre[0][o], 1e-5);
            assertEquals(Activation.GELU.apply(z), post[0][o], 1e-5);
        }
        assertArrayEquals(post[1], net.logits(x));
        assertEquals(FloatNetwork.argmax(post[1]), net.classify(raw));
    }

    @Test
    void missingAndNonZipFilesAreRefused() throws IOException {
        assertMessage(() -> FloatModelFile.read(dir.resolve("nope.zip")), "does not exist");
        Path text = Files.writeString(dir.resolve("text.zip"), "hello");
        assertMessage(() -> FloatModelFile.read(text), "is not a ZIP archive");
        Path empty = Files.write(dir.resolve("empty.zip"), new byte[0]);
        assertMessage(() -> FloatModelFile.read(empty), "is not a ZIP archive");
    }

    @Test
    void everyMalformedModelJsonIsNamed() throws IOException {
        assertCorrupt(json -> "{not json", "malformed model.json");
        assertCorrupt(json -> json.replace("\"edgeml-float-model\"", "\"other\""), "is not an edgeml float model");
        assertCorrupt(json -> json.replace("\"version\": 1", "\"version\": 9"), "format version 9");
        assertCorrupt(json -> json.replace("\"height\": 2", "\"height\": \"2\""), "non-integer \"height\" in input");
        assertCorrupt(json -> json.replace("\"channels\": 1", "\"channels\": 2"), "invalid input spec");
        assertCorrupt(json -> json.replace("\"scale\"", "\"scales\""), "missing \"scale\" in input");
        assertCorrupt(json -> json.replace("\"invert\": true", "\"invert\": 1"), "non-boolean \"invert\"");
        assertCorrupt(json -> json.replace("\"dog\"", "7"), "non-string entry 7 in \"labels\"");
        assertCorrupt(json -> json.replace("\"cat\",", ""), "inconsistent");
        assertCorrupt(json -> json.replaceFirst("\"dense\"", "\"conv\""), "layers[0] of type \"conv\"");
        assertCorrupt(json -> json.replace("\"gelu\"", "\"swish\""), "unknown activation 'swish'");
        assertCorrupt(json -> json.replaceFirst("\"outputs\": 3", "\"outputs\": 0"), "invalid shape 4->0");
        assertCorrupt(json -> json.replaceFirst("\"outputs\": 3", "\"outputs\": 5"), "expected 80");
        assertCorrupt(json -> json.replace("\"layers\": [", "\"layers\": [7, "), "layers[0] that is not a JSON object");
        assertCorrupt(json -> json.replace("layers/1/bias.f32\"", "layers/9/bias.f32\""), "no entry layers/9/bias.f32");
        assertCorrupt(json -> json.replace("\"training\": {", "\"training\": [], \"x\": {"), "\"training\" field that is not a JSON object");
    }

    @Test
    void badEntriesAreNamed() throws IOException {
        Path file = rewrite(UnaryOperator.identity(), Map.of("layers/0/bias.f32", new byte[5]));
        assertMessage(() -> FloatModelFile.read(file), "entry layers/0/bias.f32 of 5 bytes, expected 12");
        byte[] nan = new byte[12];
        nan[2] = (byte) 0xC0;
        nan[3] = (byte) 0x7F;
        Path withNan = rewrite(UnaryOperator.identity(), Map.of("layers/0/bias.f32", nan));
        assertMessage(() -> FloatModelFile.read(withNan), "non-finite value (NaN) at index 0 of layers/0/bias.f32");
        Path noJson = rewrite(UnaryOperator.identity(), Map.of("model.json", new byte[0]));
        assertMessage(() -> FloatModelFile.read(noJson), "malformed model.json");
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        Path file = dir.resolve("m.zip");
        FloatModelFile.write(model(), file, new byte[4000]);
        byte[] all = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut.zip"), java.util.Arrays.copyOf(all, all.length / 2));
        EdgemlException e = assertThrows(EdgemlException.class, () -> FloatModelFile.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    private void assertCorrupt(UnaryOperator<String> edit, String expected) throws IOException {
        Path file = rewrite(edit, Map.of());
        assertMessage(() -> FloatModelFile.read(file), expected);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable read, String expected) {
        EdgemlException e = assertThrows(EdgemlException.class, read);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
        assertTrue(e.getMessage().contains("model file ") && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
    }

    /** A valid model file with model.json edited and some entries replaced. */
    private Path rewrite(UnaryOperator<String> editJson, Map<String, byte[]> replace) throws IOException {
        Path good = dir.resolve("good.zip");
        FloatModelFile.write(model(), good, null);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(good.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        String json = new String(entries.get("model.json"), StandardCharsets.UTF_8);
        entries.put("model.json", editJson.apply(json).getBytes(StandardCharsets.UTF_8));
        entries.putAll(replace);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Path bad = Files.createTempFile(dir, "bad", ".zip");
        Files.write(bad, bytes.toByteArray());
        return bad;
    }
}
