package org.edgeml.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Q8ModelFileTest {
    private static final Q8Model MODEL = TestModels.model(7, 4, Activation.RELU, 12, 5);
    private static final Q8Model TANH = TestModels.model(8, 3, Activation.TANH, 6, 3);
    private static final byte[] FILE = Q8ModelFile.encode(MODEL);

    private static String failure(byte[] bytes) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Q8ModelFile.decode(bytes, "model.q8"));
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void aFloatModelZipIsRecognisedAndTheAdviceIsToQuantizeIt() throws Exception {
        java.io.ByteArrayOutputStream zipBytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("model.json"));
            zip.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String message = failure(zipBytes.toByteArray());
        assertTrue(message.startsWith("model.q8: this is a float model"), message);
        assertTrue(message.contains("quantize it first"), message);
        assertTrue(message.contains("edgeml quantize"), message);
    }


    @Test
    void roundTripsEveryField() {
        for (Q8Model model : List.of(MODEL, TANH)) {
            byte[] bytes = Q8ModelFile.encode(model);
            LoadedModel loaded = Q8ModelFile.decode(bytes, "model.q8");
            assertEquals(model, loaded.model());
            assertArrayEquals(bytes, Q8ModelFile.encode(loaded.model()));
        }
        assertTrue(Double.isNaN(Q8ModelFile.decode(FILE, "m").model().info().int8Accuracy()));
    }

    @Test
    void idIsTheStoredDigestOfEverythingBeforeIt(@TempDir Path dir) {
        Path file = dir.resolve("sub/fashion.q8");
        Q8ModelFile.write(MODEL, file);
        LoadedModel loaded = Q8ModelFile.read(file);
        byte[] bytes = Q8ModelFile.encode(MODEL);
        String expected = HexFormat.of().formatHex(Q8ModelFile.sha256(bytes, bytes.length - 40));
        assertEquals(expected, loaded.sha256Hex());
        assertEquals(expected.substring(0, 12), loaded.id());
        assertEquals(expected, HexFormat.of().formatHex(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)));
    }

    @Test
    void encodingIsDeterministic() {
        assertArrayEquals(FILE, Q8ModelFile.encode(TestModels.model(7, 4, Activation.RELU, 12, 5)));
    }

    @Test
    void refusesWhatIsNotAModel() {
        assertEquals("model.q8: not an edgeml int8 model (bad magic)", failure("PK\3\4 not a model".getBytes()));
        assertEquals("model.q8: not an edgeml int8 model (bad magic)", failure(new byte[] {'E', 'X'}));
        assertEquals("model.q8: truncated at byte 0 (the header needs 12 bytes)", failure(new byte[0]));
        assertEquals("model.q8: truncated at byte 10 (the header needs 12 bytes)", failure(Arrays.copyOf(FILE, 10)));
    }

    @Test
    void refusesNewerVersionsAndFlags() {
        byte[] v9 = ModelBytes.assemble(9, 0, ModelBytes.chunks(FILE));
        assertEquals("model.q8: unsupported format version 9 (this edgeml reads versions 1 to 3; upgrade edgeml)", failure(v9));
        byte[] flags = ModelBytes.assemble(1, 4, ModelBytes.chunks(FILE));
        assertTrue(failure(flags).startsWith("model.q8: unsupported format flags 0x4"));
    }

    @Test
    void refusesAnyChangedByte() {
        for (int at : new int[] {12, 40, FILE.length / 2, FILE.length - 41, FILE.length - 1}) {
            byte[] bad = FILE.clone();
            bad[at] ^= 0x10;
            String message = failure(bad);
            assertTrue(message.equals("model.q8: digest mismatch: the file is corrupt or was modified; copy or export it again")
                    || message.startsWith("model.q8: bad chunk type") || message.startsWith("model.q8: truncated"), message);
        }
        byte[] payloadByte = FILE.clone();
        payloadByte[FILE.length / 2] ^= 1;
        assertTrue(failure(payloadByte).contains("digest mismatch"));
    }

    @Test
    void reportsWhereATruncatedFileEnds() {
        int infoLength = ModelBytes.chunks(FILE).get(0).payload().length;
        assertEquals("model.q8: truncated at byte 30 (chunk INFO at byte 12 needs " + infoLength + " bytes, 10 are left)",
                failure(Arrays.copyOf(FILE, 30)));
        assertEquals("model.q8: truncated at byte 15 (the chunk header at byte 12 needs 8 bytes)", failure(Arrays.copyOf(FILE, 15)));
        assertEquals("model.q8: truncated at byte " + (FILE.length - 1) + " (chunk DGST at byte " + (FILE.length - 40)
                + " needs 32 bytes, 31 are left)", failure(Arrays.copyOf(FILE, FILE.length - 1)));
        assertEquals("model.q8: truncated at byte " + (FILE.length - 40) + " (the DGST chunk that ends every model is missing)",
                failure(Arrays.copyOf(FILE, FILE.length - 40)));
    }

    @Test
    void refusesImpossibleShapesBeforeAllocating() {
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(FILE));
        byte[] dens = chunks.get(2).payload().clone();
        System.arraycopy(ModelBytes.le(4, 0xFFFFFFF0L), 0, dens, 0, 4);
        chunks.set(2, new ModelBytes.Chunk("DENS", dens));
        String message = failure(ModelBytes.assemble(1, 0, chunks));
        assertTrue(message.startsWith("model.q8: chunk DENS at byte ") && message.contains("layer 0: layer shape 2147483647->12 is impossible"),
                message);

        System.arraycopy(ModelBytes.le(4, 40000), 0, dens, 0, 4);
        System.arraycopy(ModelBytes.le(4, 40000), 0, dens, 4, 4);
        chunks.set(2, new ModelBytes.Chunk("DENS", dens));
        assertTrue(failure(ModelBytes.assemble(1, 0, chunks)).contains("inputs*outputs at most 67108864"));

        System.arraycopy(ModelBytes.le(4, 4000), 0, dens, 0, 4);
        System.arraycopy(ModelBytes.le(4, 4000), 0, dens, 4, 4);
        chunks.set(2, new ModelBytes.Chunk("DENS", dens));
        assertTrue(failure(ModelBytes.assemble(1, 0, chunks)).contains("layer 0 (4000->4000 relu) needs 16052026 bytes, the chunk holds "
                + dens.length), failure(ModelBytes.assemble(1, 0, chunks)));

        List<ModelBytes.Chunk> gold = new ArrayList<>(ModelBytes.chunks(FILE));
        int last = gold.size() - 1;
        byte[] goldPayload = gold.get(last).payload().clone();
        System.arraycopy(ModelBytes.le(4, 0x7FFFFFFF), 0, goldPayload, 0, 4);
        gold.set(last, new ModelBytes.Chunk("GOLD", goldPayload));
        assertTrue(failure(ModelBytes.assemble(1, 0, gold)).contains("2147483647 golden vectors of 16+5 bytes need 45097156587 bytes"), failure(ModelBytes.assemble(1, 0, gold)));
    }

    @Test
    void refusesInvalidContentWithTheReason() {
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(FILE));
        byte[] dens = chunks.get(2).payload().clone();
        dens[dens.length - 1] = (byte) -128; // the last weight
        chunks.set(2, new ModelBytes.Chunk("DENS", dens));
        assertTrue(failure(ModelBytes.assemble(1, 0, chunks)).contains("layer 0: weight 191 is -128"));

        List<ModelBytes.Chunk> info = new ArrayList<>(ModelBytes.chunks(FILE));
        byte[] payload = info.get(0).payload().clone();
        payload[2] = (byte) 0xFF; // first byte of the name
        info.set(0, new ModelBytes.Chunk("INFO", payload));
        assertTrue(failure(ModelBytes.assemble(1, 0, info)).contains("chunk INFO at byte 12: name at byte 22 is not valid UTF-8"));

        List<ModelBytes.Chunk> labels = new ArrayList<>(ModelBytes.chunks(FILE));
        labels.remove(3); // the last layer: the first layer's 12 outputs meet 5 labels
        assertTrue(failure(ModelBytes.assemble(1, 0, labels)).contains("golden vectors of 16+12 bytes"));

        List<ModelBytes.Chunk> swapped = new ArrayList<>(ModelBytes.chunks(FILE));
        swapped.add(0, swapped.remove(1));
        assertTrue(failure(ModelBytes.assemble(1, 0, swapped)).matches("model.q8: chunk INPT at byte 12 is out of place \\(expected INFO\\)"));
    }

    @Test
    void skipsAncillaryChunksAndChunksAfterTheDigest() {
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(FILE));
        chunks.add(2, new ModelBytes.Chunk("note", "made by hand".getBytes()));
        LoadedModel withNote = Q8ModelFile.decode(ModelBytes.assemble(1, 0, chunks), "m");
        assertEquals(MODEL, withNote.model());

        byte[] signed = ModelBytes.concat(FILE, ModelBytes.chunk("SIGN", new byte[72]), ModelBytes.chunk("XTRA", new byte[5]));
        LoadedModel loaded = Q8ModelFile.decode(signed, "m");
        assertEquals(Q8ModelFile.decode(FILE, "m").id(), loaded.id());
        assertEquals("0000000000000000", loaded.signature().keyId());
        assertTrue(failure(ModelBytes.concat(FILE, new byte[] {'S', 'I', 'G'})).startsWith("model.q8: truncated at byte"));
    }

    @Test
    void refusesUnknownRequiredChunksAsNewer() {
        List<ModelBytes.Chunk> chunks = new ArrayList<>(ModelBytes.chunks(FILE));
        chunks.add(2, new ModelBytes.Chunk("LSTM", new byte[3]));
        String message = failure(ModelBytes.assemble(1, 0, chunks));
        assertTrue(message.matches("model.q8: unknown chunk LSTM at byte \\d+ \\(written by a newer edgeml; upgrade edgeml\\)"), message);
    }

    @Test
    void readNamesAMissingFile(@TempDir Path dir) throws Exception {
        EdgemlException e = assertThrows(EdgemlException.class, () -> Q8ModelFile.read(dir.resolve("none.q8")));
        assertTrue(e.getMessage().contains("no such model file"));
        Path empty = Files.createFile(dir.resolve("empty.q8"));
        assertTrue(assertThrows(ModelFormatException.class, () -> Q8ModelFile.read(empty)).getMessage().startsWith("empty.q8: truncated at byte 0"));
    }
}
