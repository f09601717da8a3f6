package org.edgeml.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.engine.TestModels;
import org.junit.jupiter.api.Test;

/** Maxout dense layers in the .q8 format: version 3's {@code pieces} field of DENS. */
class Q8MaxoutFileTest {
    /** A 2x2 input, a maxout layer of 3 units with 2 pieces each, then a plain 3->2 layer. */
    static Q8Model maxoutModel() {
        InputQuantization input = InputQuantization.covering(2, 2, false, 1 / 255.0, 0);
        QuantParams in = input.quantParams();
        byte[] w1 = new byte[4 * 6];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (byte) (i * 37 % 255 - 127);
        }
        int[] ones = {1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30};
        QuantizedDense maxout = new QuantizedDense(4, 3, Activation.IDENTITY, w1, new float[] {1, 1, 1, 1, 1, 1},
                new int[] {0, 5, -5, 100, 0, 0}, ones, new int[] {-8, -7, -8, -9, -8, -8}, in.scale(), in.zeroPoint(),
                0.5f, 3, 0.5f, 3, -128, 127, null, 2);
        QuantizedDense last = new QuantizedDense(3, 2, Activation.IDENTITY, new byte[] {1, -2, 3, 4, 5, -6}, new float[] {1, 1},
                new int[] {0, 0}, new int[] {1 << 30, 1 << 30}, new int[] {1, 1}, 0.5f, 3, 0.25f, 0, 0.25f, 0, -128, 127, null);
        ModelInfo info = new ModelInfo("maxout", "random", List.of("a", "b"), 0.5, 0.5, "2026-11-30T00:00:00Z", Map.of());
        Q8Model model = new Q8Model(info, input, List.of(), List.of(maxout, last), List.of());
        return model.withGoldens(TestModels.goldens(model, new java.util.Random(3), 4));
    }

    @Test
    void aMaxoutModelIsWrittenAsVersion3AndRoundTrips() {
        Q8Model model = maxoutModel();
        byte[] bytes = Q8ModelFile.encode(model);
        assertEquals(3, bytes[8] & 0xFF, "format version");
        LoadedModel loaded = Q8ModelFile.decode(bytes, "maxout.q8");
        assertEquals(model, loaded.model());
        assertEquals(2, loaded.model().layers().get(0).pieces());
        assertEquals(1, loaded.model().layers().get(1).pieces());
        assertArrayEquals(bytes, Q8ModelFile.encode(loaded.model()));
        assertEquals(List.of(), new Int8Engine(loaded.model()).verifyGoldens());
        // DENS in version 3: u32 inputs, u32 outputs, u8 pieces, then the version 1 fields.
        byte[] dens = ModelBytes.chunks(bytes).get(2).payload();
        assertEquals(2, dens[8]);
        assertEquals(26 + 1 + 13 * 6 + 4 * 6, dens.length);
    }

    @Test
    void aModelWithoutMaxoutOrFeatureLayersStaysVersion1() {
        byte[] bytes = Q8ModelFile.encode(TestModels.model(7, 4, Activation.RELU, 12, 5));
        assertEquals(1, bytes[8] & 0xFF);
    }

    @Test
    void badPiecesAreRefusedWithTheirOwnMessage() {
        byte[] file = Q8ModelFile.encode(maxoutModel());
        for (int pieces : new int[] {0, 17, 255}) {
            List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(file));
            byte[] dens = chunks.get(2).payload().clone();
            dens[8] = (byte) pieces;
            chunks.set(2, new ModelBytes.Chunk("DENS", dens));
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> Q8ModelFile.decode(ModelBytes.assemble(3, 0, chunks), "maxout.q8"));
            assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
            assertEquals("maxout.q8: chunk DENS at byte " + offset(file, 2) + ": layer 0: a maxout unit has 1..16 pieces, got "
                    + pieces, e.getMessage());
        }
        // 3 pieces where the arrays hold 2 per unit: the length check names the layer's shape.
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(file));
        byte[] dens = chunks.get(2).payload().clone();
        dens[8] = 3;
        chunks.set(2, new ModelBytes.Chunk("DENS", dens));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Q8ModelFile.decode(ModelBytes.assemble(3, 0, chunks), "maxout.q8"));
        assertEquals("maxout.q8: chunk DENS at byte " + offset(file, 2) + ": layer 0 (4->3 maxout 3 identity) needs "
                + (27 + 13 * 9 + 4 * 9) + " bytes, the chunk holds " + dens.length, e.getMessage());
    }


    /** On the scalar kernels, as CnnEngineTest (Vector API code allocates until the JIT compiles it). */
    @Test
    void maxoutInferenceAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        Int8Engine engine = new Int8Engine(maxoutModel(), org.edgeml.core.engine.DenseKernels.SCALAR.factory());
        byte[] pixels = TestModels.randomPixels(new java.util.Random(1), engine.inputSize());
        for (int i = 0; i < 5000; i++) {
            engine.classifyPixels(pixels); // warm up: the JIT may allocate while compiling
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1000; i++) {
            engine.classifyPixels(pixels);
        }
        long used = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(used < 1000, "1000 frames allocated " + used + " bytes");
    }

    /** The byte offset of chunk {@code index} in {@code file}. */
    private static int offset(byte[] file, int index) {
        int at = 12;
        List<ModelBytes.Chunk> chunks = ModelBytes.chunks(file);
        for (int i = 0; i < index; i++) {
            at += 8 + chunks.get(i).payload().length;
        }
        return at;
    }
}
