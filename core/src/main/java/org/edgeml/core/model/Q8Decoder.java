package org.edgeml.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the chunked format of {@code docs/model-format.md} in three passes: the header, the chunk
 * framing up to the DGST chunk (so truncation is reported before anything else), the digest, and only
 * then the payloads. Every failure is a {@link ModelFormatException}.
 */
final class Q8Decoder {
    private record Chunk(String type, int offset, int length) {
        int payload() {
            return offset + Q8ModelFile.CHUNK_HEADER_BYTES;
        }
    }

    /** The DENS fields before the per-channel arrays. */
    private static final int DENSE_FIXED_BYTES = 26;

    private final byte[] bytes;
    private final String source;
    /** The chunks after DGST, filled by {@link #decode()}. */
    private final List<Chunk> trailer = new ArrayList<>();
    private int digestEnd;

    Q8Decoder(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    private ModelFormatException error(String message) {
        return new ModelFormatException(source + ": " + message);
    }

    LoadedModel decode() {
        checkHeader();
        List<Chunk> chunks = new ArrayList<>();
        Chunk digest = frame(chunks);
        byte[] expected = Arrays.copyOfRange(bytes, digest.payload(), digest.payload() + Q8ModelFile.DIGEST_BYTES);
        byte[] actual = Q8ModelFile.sha256(bytes, digest.offset());
        if (!MessageDigest.isEqual(expected, actual)) {
            throw error("digest mismatch: the file is corrupt or was modified; copy or export it again");
        }
        digestEnd = digest.payload() + digest.length();
        ModelSignature signature = signature();
        Q8Model model;
        try {
            model = parse(chunks);
        } catch (IllegalArgumentException e) {
            throw error("invalid model: " + e.getMessage());
        }
        return new LoadedModel(model, Q8ModelFile.hex(actual), signature);
    }

    /** The one SIGN trailer chunk, or null; other trailer chunks are left alone. */
    private ModelSignature signature() {
        ModelSignature found = null;
        for (Chunk c : trailer) {
            if (!c.type().equals(Q8ModelFile.SIGNATURE_CHUNK)) {
                continue;
            }
            if (found != null) {
                throw error("chunk SIGN at byte " + c.offset() + " is the second signature: the file is corrupt; sign it again");
            }
            if (c.length() != ModelSignature.PAYLOAD_BYTES) {
                throw error("chunk SIGN at byte " + c.offset() + " holds " + c.length() + " bytes, expected "
                        + ModelSignature.PAYLOAD_BYTES + " (key id and Ed25519 signature); sign it again");
            }
            int at = c.payload();
            found = new ModelSignature(
                    Q8ModelFile.hex(Arrays.copyOfRange(bytes, at, at + ModelSignature.KEY_ID_BYTES)),
                    Arrays.copyOfRange(bytes, at + ModelSignature.KEY_ID_BYTES, at + ModelSignature.PAYLOAD_BYTES));
        }
        return found;
    }

    /** After {@link #decode()}: the bytes up to the end of the DGST chunk, which a signature covers (via the digest). */
    int digestEnd() {
        return digestEnd;
    }

    /** After {@link #decode()}: the trailer chunks other than SIGN, as raw bytes, in file order. */
    List<byte[]> unsignedTrailer() {
        List<byte[]> kept = new ArrayList<>();
        for (Chunk c : trailer) {
            if (!c.type().equals(Q8ModelFile.SIGNATURE_CHUNK)) {
                kept.add(Arrays.copyOfRange(bytes, c.offset(), c.payload() + c.length()));
            }
        }
        return kept;
    }

    /**
     * A float model file (docs/float-model-format.md): a ZIP whose first local file header ("PK", 3, 4; the
     * name's length at byte 26, the name at byte 30) is for {@code model.json}.
     */
    private boolean isFloatModel() {
        byte[] name = "model.json".getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= 30 + name.length && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4
                && u16(26) == name.length && Arrays.equals(bytes, 30, 30 + name.length, name, 0, name.length);
    }

    private void checkHeader() {
        byte[] magic = Q8ModelFile.MAGIC;
        int n = Math.min(bytes.length, magic.length);
        if (!Arrays.equals(bytes, 0, n, magic, 0, n)) {
            if (isFloatModel()) {
                throw error("this is a float model (the ZIP 'edgeml train' writes), not an int8 model:"
                        + " quantize it first with 'edgeml quantize " + source + " --out MODEL.q8'");
            }
            throw error("not an edgeml int8 model (bad magic)");
        }
        if (bytes.length < Q8ModelFile.HEADER_BYTES) {
            throw error("truncated at byte " + bytes.length + " (the header needs " + Q8ModelFile.HEADER_BYTES + " bytes)");
        }
        int version = u16(8);
        if (version != Q8ModelFile.VERSION) {
            throw error("unsupported format version " + version + " (this edgeml reads version "
                    + Q8ModelFile.VERSION + "; upgrade edgeml)");
        }
        int flags = u16(10);
        if (flags != 0) {
            throw error("unsupported format flags 0x" + Integer.toHexString(flags)
                    + " (this edgeml reads version 1 files with flags 0; upgrade edgeml)");
        }
    }

    /** Walks the chunk headers to the end of the file; returns the DGST chunk, collecting those before it. */
    private Chunk frame(List<Chunk> beforeDigest) {
        Chunk digest = null;
        int pos = Q8ModelFile.HEADER_BYTES;
        while (pos < bytes.length) {
            if (bytes.length - pos < Q8ModelFile.CHUNK_HEADER_BYTES) {
                throw error("truncated at byte " + bytes.length + " (the chunk header at byte " + pos + " needs "
                        + Q8ModelFile.CHUNK_HEADER_BYTES + " bytes)");
            }
            String type = chunkType(pos);
            long length = (long) u16(pos + 4) | (long) u16(pos + 6) << 16;
            long available = bytes.length - pos - Q8ModelFile.CHUNK_HEADER_BYTES;
            if (length > available) {
                throw error("truncated at byte " + bytes.length + " (chunk " + type + " at byte " + pos + " needs "
                        + length + " bytes, " + available + " are left)");
            }
            Chunk chunk = new Chunk(type, pos, (int) length);
            if (digest == null) {
                if (type.equals("DGST")) {
                    if (length != Q8ModelFile.DIGEST_BYTES) {
                        throw error("chunk DGST at byte " + pos + " holds " + length + " bytes, expected "
                                + Q8ModelFile.DIGEST_BYTES + " (a SHA-256)");
                    }
                    digest = chunk;
                } else {
                    beforeDigest.add(chunk);
                }
            } else {
                trailer.add(chunk); // after DGST: signatures; other types are framed but not interpreted
            }
            pos = chunk.payload() + chunk.length();
        }
        if (digest == null) {
            throw error("truncated at byte " + bytes.length + " (the DGST chunk that ends every model is missing)");
        }
        return digest;
    }

    private String chunkType(int pos) {
        for (int i = pos; i < pos + 4; i++) {
            int c = bytes[i];
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                throw error("bad chunk type at byte " + pos + " (expected 4 ASCII letters): the file is corrupt");
            }
        }
        return new String(bytes, pos, 4, StandardCharsets.US_ASCII);
    }

    private Q8Model parse(List<Chunk> chunks) {
        List<Chunk> critical = new ArrayList<>();
        for (Chunk c : chunks) {
            if (Character.isUpperCase(c.type().charAt(0))) {
                critical.add(c);
            } // ancillary chunks (lowercase first letter) are skipped: a newer edgeml may add them
        }
        int next = 0;
        Chunk infoChunk = expect(critical, next++, "INFO");
        Chunk inputChunk = expect(critical, next++, "INPT");
        ModelInfo info = info(reader(infoChunk));
        InputQuantization input = input(reader(inputChunk));
        List<QuantizedDense> layers = new ArrayList<>();
        while (next < critical.size() && critical.get(next).type().equals("DENS")) {
            if (layers.size() == Q8Model.MAX_LAYERS) {
                throw reader(critical.get(next)).chunkError("more than " + Q8Model.MAX_LAYERS + " layers");
            }
            layers.add(dense(reader(critical.get(next++)), layers.size()));
        }
        if (layers.isEmpty()) {
            expect(critical, next, "DENS");
        }
        int classes = layers.get(layers.size() - 1).outputs();
        Chunk goldChunk = expect(critical, next++, "GOLD");
        if (next < critical.size()) {
            expect(critical, next, "DGST");
        }
        List<GoldenVector> goldens = goldens(reader(goldChunk), input.size(), classes);
        return new Q8Model(info, input, layers, goldens);
    }

    private Chunk expect(List<Chunk> critical, int index, String type) {
        if (index >= critical.size()) {
            throw error("chunk " + type + " is missing before DGST: the file is corrupt");
        }
        Chunk c = critical.get(index);
        if (!c.type().equals(type)) {
            if (!Q8ModelFile.KNOWN_CHUNKS.contains(c.type())) {
                throw error("unknown chunk " + c.type() + " at byte " + c.offset()
                        + " (written by a newer edgeml; upgrade edgeml)");
            }
            throw error("chunk " + c.type() + " at byte " + c.offset() + " is out of place (expected " + type + ")");
        }
        return c;
    }

    private ChunkReader reader(Chunk c) {
        return new ChunkReader(bytes, source, c.type(), c.payload(), c.length());
    }

    private static ModelInfo info(ChunkReader r) {
        String name = r.str16("name");
        String dataset = r.str16("dataset");
        String createdAt = r.str16("createdAt");
        double floatAccuracy = r.f64();
        double int8Accuracy = r.f64();
        int labelCount = r.u16();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < labelCount; i++) {
            labels.add(r.str16("label " + i));
        }
        int propertyCount = r.u16();
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < propertyCount; i++) {
            String key = r.str16("property key " + i);
            if (properties.put(key, r.str32("property " + key)) != null) {
                throw r.chunkError("property " + key + " appears twice");
            }
        }
        r.requireEnd();
        return new ModelInfo(name, dataset, labels, floatAccuracy, int8Accuracy, createdAt, properties);
    }

    private static InputQuantization input(ChunkReader r) {
        int height = r.u16();
        int width = r.u16();
        int flags = r.u8();
        if ((flags & ~1) != 0) {
            throw r.chunkError("unknown input flags 0x" + Integer.toHexString(flags) + " (written by a newer edgeml?)");
        }
        double normScale = r.f64();
        double normOffset = r.f64();
        float scale = r.f32();
        int zeroPoint = r.i8();
        r.requireEnd();
        return new InputQuantization(height, width, (flags & 1) != 0, normScale, normOffset, scale, zeroPoint);
    }

    private static QuantizedDense dense(ChunkReader r, int index) {
        int length = r.remaining();
        long inputs = r.u32();
        long outputs = r.u32();
        int code = r.u8();
        Activation activation;
        try {
            activation = Activation.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw r.chunkError("layer " + index + " has unknown activation code " + code + " (written by a newer edgeml?)");
        }
        try {
            QuantizedDense.checkShape((int) Math.min(inputs, Integer.MAX_VALUE), (int) Math.min(outputs, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw r.chunkError("layer " + index + ": " + e.getMessage());
        }
        int in = (int) inputs;
        int out = (int) outputs;
        long expected = DENSE_FIXED_BYTES + 13L * out + (long) in * out + (activation.needsLookupTable() ? 256 : 0);
        if (expected != length) {
            throw r.chunkError("layer " + index + " (" + in + "->" + out + " " + activation.cliName() + ") needs "
                    + expected + " bytes, the chunk holds " + length);
        }
        float inputScale = r.f32();
        int inputZeroPoint = r.i8();
        float preScale = r.f32();
        int preZeroPoint = r.i8();
        float outputScale = r.f32();
        int outputZeroPoint = r.i8();
        int clampMin = r.i8();
        int clampMax = r.i8();
        float[] weightScales = r.f32s(out);
        int[] bias = r.i32s(out);
        int[] multiplier = r.i32s(out);
        int[] shift = r.i8s(out);
        byte[] weights = r.bytes(in * out);
        byte[] lookupTable = activation.needsLookupTable() ? r.bytes(256) : null;
        r.requireEnd();
        try {
            return new QuantizedDense(in, out, activation, weights, weightScales, bias, multiplier, shift,
                    inputScale, inputZeroPoint, preScale, preZeroPoint, outputScale, outputZeroPoint,
                    clampMin, clampMax, lookupTable);
        } catch (IllegalArgumentException e) {
            throw r.chunkError("layer " + index + ": " + e.getMessage());
        }
    }

    private static List<GoldenVector> goldens(ChunkReader r, int inputSize, int classes) {
        long count = r.u32();
        long expected = count * (inputSize + (long) classes);
        if (expected != r.remaining()) {
            throw r.chunkError(count + " golden vectors of " + inputSize + "+" + classes + " bytes need " + expected
                    + " bytes, the chunk has " + r.remaining() + " after the count");
        }
        List<GoldenVector> goldens = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            goldens.add(new GoldenVector(r.bytes(inputSize), r.bytes(classes)));
        }
        r.requireEnd();
        return goldens;
    }

    private int u16(int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }
}
