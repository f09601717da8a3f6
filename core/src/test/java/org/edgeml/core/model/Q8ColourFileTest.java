package org.edgeml.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** Format version 3: the input's channel count in INPT (docs/model-format.md), and version 1 and 2 files unchanged. */
class Q8ColourFileTest {
    private static final Q8Model COLOUR_CNN = TestModels.cnn(33, 8, 3, Activation.RELU, 4, 3, 5);

    /**
     * A 2x2x3 input quantized with scale 1 (raw value = int8 value), a 1x1 conv whose weights {0, 1, 0} keep the
     * green channel, halved (multiplier 2^30), flatten, and a dense layer that halves each of the 4 values again.
     */
    private static Q8Model greenPicker() {
        InputQuantization input = new InputQuantization(2, 2, 3, false, 1, 0, 1f, 0);
        QuantParams one = new QuantParams(1f, 0);
        Requantization half = new Requantization(Activation.IDENTITY, new int[] {1 << 30}, new int[] {0}, one, one,
                -128, 127, null);
        QuantizedConv2D conv = new QuantizedConv2D(new Window(new Shape(2, 2, 3), 1, 1, 1, 1, Padding.VALID), 1,
                new byte[] {0, 1, 0}, new float[] {1f}, new int[] {0}, input.quantParams(), half);
        Flatten flatten = new Flatten(new Shape(2, 2, 1), one);
        byte[] identity = new byte[16];
        for (int i = 0; i < 4; i++) {
            identity[i * 4 + i] = 1;
        }
        int[] multipliers = {1 << 30, 1 << 30, 1 << 30, 1 << 30};
        QuantizedDense dense = new QuantizedDense(4, 4, Activation.IDENTITY, identity, new float[] {1f, 1f, 1f, 1f},
                new int[4], multipliers, new int[4], 1f, 0, 1f, 0, 1f, 0, -128, 127, null);
        ModelInfo info = new ModelInfo("green", "none", List.of("a", "b", "c", "d"), Double.NaN, Double.NaN, "now", Map.of());
        return new Q8Model(info, input, List.of(conv, flatten), List.of(dense), List.of());
    }

    private static String failure(byte[] bytes) {
        return assertThrows(ModelFormatException.class, () -> Q8ModelFile.decode(bytes, "colour.q8")).getMessage();
    }

    /** The file with the payload of its chunk number {@code index} edited (bytes changed, added or cut), re-digested. */
    private static byte[] edit(byte[] file, int index, java.util.function.UnaryOperator<byte[]> change) {
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(file));
        byte[] payload = change.apply(chunks.get(index).payload().clone());
        chunks.set(index, new ModelBytes.Chunk(chunks.get(index).type(), payload));
        return ModelBytes.assemble(file[8], 0, chunks);
    }

    private static byte[] set(byte[] file, int index, Consumer<byte[]> change) {
        return edit(file, index, p -> {
            change.accept(p);
            return p;
        });
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Q8ColourFileTest.class.getResourceAsStream("Q8ModelFileFuzzTestInputs/decode/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void versionTwoFilesStillDecodeAndReencodeByteForByte() throws IOException {
        byte[] file = resource("valid-cnn.q8");
        assertEquals(2, file[8]);
        LoadedModel loaded = Q8ModelFile.decode(file, "valid-cnn.q8");
        assertEquals(1, loaded.model().input().channels());
        assertArrayEquals(file, Q8ModelFile.encode(loaded.model()));
        assertEquals(2, Q8ModelFile.encode(TestModels.cnn(21, 10, Activation.SIGMOID, 4, 3, 5))[8]);
    }

    @Test
    void aColourCnnRoundTripsAsVersionThreeWithChannelsInItsInputChunk() throws IOException {
        byte[] file = Q8ModelFile.encode(COLOUR_CNN);
        assertEquals(3, file[8]);
        ModelBytes.Chunk inpt = ModelBytes.chunks(file).get(1);
        assertEquals("INPT", inpt.type());
        assertEquals(28, inpt.payload().length);
        // offset 26: 3 channels; offset 27: one normalization for every channel
        assertEquals("0301", HexFormat.of().formatHex(inpt.payload(), 26, 28));
        LoadedModel loaded = Q8ModelFile.decode(file, "colour.q8");
        assertEquals(COLOUR_CNN, loaded.model());
        assertEquals(8 * 8 * 3, loaded.model().inputSize());
        assertArrayEquals(file, Q8ModelFile.encode(loaded.model()));
        new Int8Engine(loaded.model()).requireGoldens("colour.q8");
        assertArrayEquals(file, resource("valid-colour-cnn.q8"), "the fuzz corpus holds this model, byte for byte");
    }

    @Test
    void aColourDenseModelIsVersionThreeAndTakesHeightTimesWidthTimesThreeInputs() {
        InputQuantization rgb = InputQuantization.covering(4, 4, 3, false, 1 / 255.0, 0);
        Q8Model grey = TestModels.model(5, 4, Activation.RELU, 6, 2);
        QuantizedDense first = grey.layers().get(0);
        // 48 inputs: a dense layer over the flattened 4x4x3 image
        QuantizedDense wide = new QuantizedDense(48, 6, Activation.RELU, new byte[48 * 6], new float[] {1, 1, 1, 1, 1, 1},
                new int[6], first.multiplier(), first.shift(), rgb.scale(), rgb.zeroPoint(),
                first.preActivationScale(), first.preActivationZeroPoint(), first.outputScale(), first.outputZeroPoint(),
                first.clampMin(), first.clampMax(), null);
        Q8Model model = new Q8Model(grey.info(), rgb, List.of(wide, grey.layers().get(1)), List.of());
        byte[] file = Q8ModelFile.encode(model);
        assertEquals(3, file[8]);
        assertEquals(model, Q8ModelFile.decode(file, "rgb-dense.q8").model());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Q8Model(grey.info(), rgb, grey.layers(), List.of()));
        assertEquals("layer 0 takes 16 inputs but the input gives 48", e.getMessage());
    }

    @Test
    void theEngineReadsTheInputInHeightWidthChannelOrder() {
        Q8Model model = greenPicker();
        Int8Engine engine = new Int8Engine(Q8ModelFile.decode(Q8ModelFile.encode(model), "green.q8").model());
        // pixels (0,0), (0,1), (1,0), (1,1) as R, G, B; green 40, 80, 12, 100, the others noise
        byte[] raw = {100, 40, 7, 9, 80, 3, 120, 12, 50, 1, 100, 3};
        byte[] int8 = new byte[12];
        engine.quantizeInput(raw, int8);
        byte[] logits = new byte[4];
        engine.infer(int8, logits);
        // halved by the conv and halved again by the dense layer: 40/4, 80/4, 12/4, 100/4
        assertArrayEquals(new byte[] {10, 20, 3, 25}, logits);
    }

    @Test
    void theChannelsFieldIsValidatedWithALineNamingIt() {
        byte[] file = Q8ModelFile.encode(greenPicker());
        String inpt = "colour.q8: chunk INPT at byte " + (12 + 8 + ModelBytes.chunks(file).get(0).payload().length) + ": ";
        assertEquals(inpt + "input channels 2 is impossible: must be 1 (grey) or 3 (colour)", failure(set(file, 1, p -> p[26] = 2)));
        assertEquals(inpt + "input channels 0 is impossible: must be 1 (grey) or 3 (colour)", failure(set(file, 1, p -> p[26] = 0)));
        assertEquals(inpt + "3 input normalizations: this edgeml normalizes every channel alike and reads exactly 1"
                + " (written by a newer edgeml? upgrade edgeml)", failure(set(file, 1, p -> p[27] = 3)));
        // a version 3 INPT without the two new bytes
        assertEquals(inpt + "needs 1 more bytes at byte " + (12 + 8 + ModelBytes.chunks(file).get(0).payload().length + 8 + 26)
                + " but only 0 are left in the chunk", failure(edit(file, 1, p -> java.util.Arrays.copyOf(p, 26))));
        // a grey INPT in version 3 is valid; then the conv's 2x2x3 input no longer chains
        assertEquals("colour.q8: invalid model: feature layer 0 (conv2d) takes 2x2x3 but the input gives 2x2x1",
                failure(set(file, 1, p -> p[26] = 1)));
        // the two bytes in a version 2 file are left over
        byte[] v2 = Q8ModelFile.encode(TestModels.cnn(21, 10, Activation.SIGMOID, 4, 3, 5));
        String v2inpt = "colour.q8: chunk INPT at byte " + (12 + 8 + ModelBytes.chunks(v2).get(0).payload().length) + ": ";
        assertEquals(v2inpt + "has 2 unexpected bytes after its fields at byte "
                        + (12 + 8 + ModelBytes.chunks(v2).get(0).payload().length + 8 + 26),
                failure(edit(v2, 1, p -> java.util.Arrays.copyOf(p, 28))));
    }

    @Test
    void theRecordRefusesOtherChannelCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InputQuantization(4, 4, 4, false, 1, 0, 1f, 0));
        assertEquals("input channels must be 1 (grey) or 3 (colour, RGB), got 4", e.getMessage());
        assertEquals(48, InputQuantization.covering(4, 4, 3, false, 1 / 255.0, 0).size());
        assertEquals(16, InputQuantization.covering(4, 4, false, 1 / 255.0, 0).size());
    }
}
