package org.edgeml.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.engine.TestModels;
import org.junit.jupiter.api.Test;

/** Format version 2: the feature layer chunks (docs/model-format.md), and version 1 files unchanged. */
class Q8CnnFileTest {
    private static final Q8Model CNN = TestModels.cnn(21, 10, Activation.SIGMOID, 4, 3, 5);

    /** The Sobel-x conv of FeatureKernelsTest on a 4x4 input quantized with scale 1, zero point 0, then flatten, dense 16->2. */
    private static Q8Model sobelModel() {
        InputQuantization input = new InputQuantization(4, 4, false, 1, 0, 1f, 0);
        QuantParams half = new QuantParams(0.5f, 0);
        Requantization r = new Requantization(Activation.IDENTITY, new int[] {1 << 30}, new int[] {0}, half, half, -128, 127, null);
        QuantizedConv2D conv = new QuantizedConv2D(new Window(new Shape(4, 4, 1), 3, 3, 1, 1, Padding.SAME), 1,
                new byte[] {1, 0, -1, 2, 0, -2, 1, 0, -1}, new float[] {1f}, new int[] {0}, input.quantParams(), r);
        Flatten flatten = new Flatten(new Shape(4, 4, 1), half);
        QuantizedDense dense = new QuantizedDense(16, 2, Activation.IDENTITY, new byte[32], new float[] {1f, 1f}, new int[2],
                new int[] {1 << 30, 1 << 30}, new int[2], 0.5f, 0, 0.5f, 0, 0.5f, 0, -128, 127, null);
        ModelInfo info = new ModelInfo("sobel", "none", List.of("a", "b"), Double.NaN, Double.NaN, "now", Map.of());
        return new Q8Model(info, input, List.of(conv, flatten), List.of(dense), List.of());
    }

    private static String failure(byte[] bytes) {
        return assertThrows(ModelFormatException.class, () -> Q8ModelFile.decode(bytes, "cnn.q8")).getMessage();
    }

    private static List<String> types(byte[] file) {
        List<String> types = new ArrayList<>();
        for (ModelBytes.Chunk c : ModelBytes.chunks(file)) {
            types.add(c.type());
        }
        return types;
    }

    /** The file with the payload of its chunk number {@code index} edited, re-digested. */
    private static byte[] edit(byte[] file, int index, Consumer<byte[]> change) {
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(file));
        byte[] payload = chunks.get(index).payload().clone();
        change.accept(payload);
        chunks.set(index, new ModelBytes.Chunk(chunks.get(index).type(), payload));
        return ModelBytes.assemble(file[8], 0, chunks);
    }

    @Test
    void versionOneFilesStillDecodeAndReencodeByteForByte() throws IOException {
        for (String name : List.of("valid-relu.q8", "valid-sigmoid-table.q8", "valid-tanh-3-layers.q8")) {
            byte[] file;
            try (InputStream in = getClass().getResourceAsStream("Q8ModelFileFuzzTestInputs/decode/" + name)) {
                file = in.readAllBytes();
            }
            assertEquals(1, file[8]);
            LoadedModel loaded = Q8ModelFile.decode(file, name);
            assertTrue(loaded.model().features().isEmpty());
            byte[] again = Q8ModelFile.encode(loaded.model());
            assertArrayEquals(file, again, name);
        }
        assertEquals(1, Q8ModelFile.encode(TestModels.model(1, 3, Activation.RELU, 4, 2))[8]);
    }

    @Test
    void aCnnRoundTripsAsVersionTwo() {
        byte[] file = Q8ModelFile.encode(CNN);
        assertEquals(2, file[8]);
        assertEquals(List.of("INFO", "INPT", "CONV", "MAXP", "DWCV", "AVGP", "CONV", "FLAT", "DENS", "GOLD"), types(file));
        LoadedModel loaded = Q8ModelFile.decode(file, "cnn.q8");
        assertEquals(CNN, loaded.model());
        assertArrayEquals(file, Q8ModelFile.encode(loaded.model()));
        new Int8Engine(loaded.model()).requireGoldens("cnn.q8");
    }

    @Test
    void convAndFlattenChunksAreLaidOutAsDocumented() {
        List<ModelBytes.Chunk> chunks = ModelBytes.chunks(Q8ModelFile.encode(sobelModel()));
        assertEquals("CONV", chunks.get(2).type());
        assertEquals("04000400" + "01000000" + "0303010100" // 4x4x1, kernel 3x3, stride 1x1, same (0)
                + "01000000" + "00" // one output channel, identity
                + "0000803f00" + "0000003f00" + "0000003f00" + "807f" // input 1.0/0, pre-activation and output 0.5/0, clamp
                + "0000803f" + "00000000" + "00000040" + "00" // weight scale 1.0, bias 0, multiplier 2^30, shift 0
                + "0100ff0200fe0100ff", // Sobel-x, OHWI
                HexFormat.of().formatHex(chunks.get(2).payload()));
        assertEquals("FLAT", chunks.get(3).type());
        assertEquals("04000400" + "01000000" + "0000003f00", HexFormat.of().formatHex(chunks.get(3).payload()));
    }

    @Test
    void everyNewFieldIsValidatedWithALineNamingIt() {
        byte[] file = Q8ModelFile.encode(sobelModel());
        // the CONV chunk follows the 12-byte header, INFO and the 26-byte INPT
        String conv = "cnn.q8: chunk CONV at byte " + (12 + 8 + ModelBytes.chunks(file).get(0).payload().length + 8 + 26)
                + ": feature layer 0";
        // CONV offsets: 0 height, 2 width, 4 channels, 8 kernel height, 9 kernel width, 10/11 strides, 12 padding,
        // 13 output channels, 17 activation, 18 input scale, ..., 35 weight scales, 39 bias, 43 multiplier, 47 shift
        assertEquals(conv + ": unknown padding code 7 (written by a newer edgeml?)", failure(edit(file, 2, p -> p[12] = 7)));
        assertEquals(conv + ": kernel 0x3 is impossible: each side must be 1..255", failure(edit(file, 2, p -> p[8] = 0)));
        assertEquals(conv + ": stride 1x0 is impossible: each side must be 1..255", failure(edit(file, 2, p -> p[11] = 0)));
        assertEquals(conv + ": shape 4x4x0 is impossible: channels must be 1..65536", failure(edit(file, 2, p -> p[4] = 0)));
        assertEquals(conv + ": shape 0x4x1 is impossible: height and width must be 1..4096", failure(edit(file, 2, p -> p[0] = 0)));
        assertEquals(conv + ": 0 output channels is impossible: must be 1..65536", failure(edit(file, 2, p -> p[13] = 0)));
        assertEquals(conv + " has unknown activation code 99 (written by a newer edgeml?)", failure(edit(file, 2, p -> p[17] = 99)));
        assertEquals(conv + ": input: a quantization scale must be finite and > 0, got -1.0",
                failure(edit(file, 2, p -> p[21] = (byte) 0xBF)));
        assertEquals(conv + ": weight 2 is -128: symmetric int8 weights are in [-127, 127]",
                failure(edit(file, 2, p -> p[p.length - 7] = -128)));
        assertEquals(conv + ": channel 0: multiplier must be 0 (with shift 0) or in [2^30, 2^31), got 1 with shift 0",
                failure(edit(file, 2, p -> {
                    p[43] = 1;
                    p[46] = 0;
                })));
        assertEquals(conv + ": kernel 5x3 is larger than the 4x4x1 input: valid padding needs kernel <= input",
                failure(edit(file, 2, p -> {
                    p[8] = 5;
                    p[12] = 1;
                })));
        // a stride of 2 halves the output rows: the chain check names the mismatch
        assertEquals("cnn.q8: invalid model: feature layer 1 (flatten) takes 4x4x1 but feature layer 0 gives 2x4x1",
                failure(edit(file, 2, p -> p[10] = 2)));
        // a 2-channel input needs 9 more weight bytes than the chunk holds
        assertEquals(conv + " (conv2d 3x3 stride 1x1 same over 4x4x2 to 1 channels) needs 66 bytes, the chunk holds 57",
                failure(edit(file, 2, p -> p[4] = 2)));
        String flat = "cnn.q8: chunk FLAT at byte ";
        assertTrue(failure(edit(file, 3, p -> java.util.Arrays.fill(p, 8, 12, (byte) 0xFF))).matches(flat
                + "\\d+: feature layer 1: quantization: a quantization scale must be finite and > 0, got NaN"));
    }

    @Test
    void flattenRefusesMoreValuesThanADenseLayerTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Flatten(new Shape(28, 28, 128), new QuantParams(1f, 0)));
        assertEquals("flattening 28x28x128 gives 100352 values; a dense layer takes at most 65536", e.getMessage());
    }

    @Test
    void aVersionOneFileMayNotHoldFeatureLayers() {
        byte[] file = Q8ModelFile.encode(sobelModel());
        byte[] v1 = ModelBytes.assemble(1, 0, ModelBytes.chunks(file));
        assertTrue(failure(v1).matches("cnn.q8: chunk CONV at byte \\d+: a feature layer needs format version 2 but the file says 1:"
                + " the file is corrupt"), failure(v1));
    }

    @Test
    void featureLayersComeBeforeTheDenseLayers() {
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(Q8ModelFile.encode(sobelModel())));
        chunks.add(4, chunks.remove(3)); // FLAT after DENS
        assertTrue(failure(ModelBytes.assemble(2, 0, chunks)).matches("cnn.q8: chunk FLAT at byte \\d+ is out of place \\(expected GOLD\\)"),
                failure(ModelBytes.assemble(2, 0, chunks)));
    }
}
