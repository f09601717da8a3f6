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
    /** The bytes of a shape (u16 height, u16 width, u32 channels) and of a window (a shape, kernel, stride, padding). */
    private static final int SHAPE_BYTES = 8;
    private static final int WINDOW_BYTES = SHAPE_BYTES + 5;
    /** The requantization fields after the activation code: three (f32 scale, i8 zero point) pairs and the clamp. */
    private static final int QUANT_FIELDS_BYTES = 17;

    /** The fields DENS, CONV and DWCV share after the activation code, as read (the layer records validate them). */
    private record QuantFields(float inputScale, int inputZeroPoint, float preScale, int preZeroPoint,
                               float outputScale, int outputZeroPoint, int clampMin, int clampMax) {
        Requantization requantization(Activation activation, Channels c) {
            return new Requantization(activation, c.multiplier(), c.shift(), named("pre-activation", preScale, preZeroPoint),
                    named("output", outputScale, outputZeroPoint), clampMin, clampMax, c.lookupTable());
        }

        QuantParams input() {
            return named("input", inputScale, inputZeroPoint);
        }
    }

    /** The per-channel arrays, weights and lookup table DENS, CONV and DWCV share. */
    private record Channels(float[] weightScales, int[] bias, int[] multiplier, int[] shift, byte[] weights, byte[] lookupTable) {}

    private final byte[] bytes;
    private final String source;
    private int version;
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
        version = u16(8);
        if (version < Q8ModelFile.DENSE_VERSION || version > Q8ModelFile.VERSION) {
            throw error("unsupported format version " + version + " (this edgeml reads versions "
                    + Q8ModelFile.DENSE_VERSION + " to " + Q8ModelFile.VERSION + "; upgrade edgeml)");
        }
        int flags = u16(10);
        if (flags != 0) {
            throw error("unsupported format flags 0x" + Integer.toHexString(flags)
                    + " (this edgeml reads files with flags 0; upgrade edgeml)");
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
        InputQuantization input = input(reader(inputChunk), version);
        List<FeatureLayer> features = new ArrayList<>();
        while (next < critical.size() && Q8ModelFile.FEATURE_CHUNKS.contains(critical.get(next).type())) {
            Chunk c = critical.get(next++);
            if (version < Q8ModelFile.FEATURE_VERSION) {
                throw reader(c).chunkError("a feature layer needs format version " + Q8ModelFile.FEATURE_VERSION
                        + " but the file says " + version + ": the file is corrupt");
            }
            if (features.size() == Q8Model.MAX_LAYERS) {
                throw reader(c).chunkError("more than " + Q8Model.MAX_LAYERS + " feature layers");
            }
            features.add(feature(reader(c), features.size()));
        }
        List<QuantizedDense> layers = new ArrayList<>();
        while (next < critical.size() && critical.get(next).type().equals("DENS")) {
            if (layers.size() == Q8Model.MAX_LAYERS) {
                throw reader(critical.get(next)).chunkError("more than " + Q8Model.MAX_LAYERS + " layers");
            }
            layers.add(dense(reader(critical.get(next++)), layers.size(), version >= Q8ModelFile.COLOUR_VERSION));
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
        return new Q8Model(info, input, features, layers, goldens);
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

    private static InputQuantization input(ChunkReader r, int version) {
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
        int channels = InputQuantization.GREY;
        if (version >= Q8ModelFile.COLOUR_VERSION) {
            channels = r.u8();
            if (channels != InputQuantization.GREY && channels != InputQuantization.COLOUR) {
                throw r.chunkError("input channels " + channels + " is impossible: must be 1 (grey) or 3 (colour)");
            }
            int normalizations = r.u8();
            if (normalizations != 1) {
                throw r.chunkError(normalizations + " input normalizations: this edgeml normalizes every channel alike"
                        + " and reads exactly 1 (written by a newer edgeml? upgrade edgeml)");
            }
        }
        r.requireEnd();
        return new InputQuantization(height, width, channels, (flags & 1) != 0, normScale, normOffset, scale, zeroPoint);
    }

    /** One DENS chunk; {@code withPieces}: the version 3 layout, with the maxout pieces after the outputs. */
    private static QuantizedDense dense(ChunkReader r, int index, boolean withPieces) {
        int length = r.remaining();
        long inputs = r.u32();
        long outputs = r.u32();
        int pieces = withPieces ? r.u8() : 1;
        String name = "layer " + index;
        Activation activation = activation(r, name);
        try {
            QuantizedDense.checkShape((int) Math.min(inputs, Integer.MAX_VALUE), (int) Math.min(outputs, Integer.MAX_VALUE),
                    pieces);
        } catch (IllegalArgumentException e) {
            throw r.chunkError(name + ": " + e.getMessage());
        }
        int in = (int) inputs;
        int rows = (int) outputs * pieces;
        long expected = DENSE_FIXED_BYTES + (withPieces ? 1 : 0) + 13L * rows + (long) in * rows
                + (activation.needsLookupTable() ? 256 : 0);
        if (expected != length) {
            throw r.chunkError(name + " (" + in + "->" + outputs + (pieces > 1 ? " maxout " + pieces : "") + " "
                    + activation.cliName() + ") needs " + expected + " bytes, the chunk holds " + length);
        }
        QuantFields q = quantFields(r);
        Channels c = channels(r, rows, in * rows, activation);
        try {
            return new QuantizedDense(in, (int) outputs, activation, c.weights(), c.weightScales(), c.bias(), c.multiplier(),
                    c.shift(), q.inputScale(), q.inputZeroPoint(), q.preScale(), q.preZeroPoint(), q.outputScale(),
                    q.outputZeroPoint(), q.clampMin(), q.clampMax(), c.lookupTable(), pieces);
        } catch (IllegalArgumentException e) {
            throw r.chunkError(name + ": " + e.getMessage());
        }
    }

    /** One feature layer chunk (CONV, DWCV, MAXP, AVGP, GAVP or FLAT); {@code index} counts feature layers. */
    private static FeatureLayer feature(ChunkReader r, int index) {
        String name = "feature layer " + index;
        int length = r.remaining();
        try {
            switch (r.type()) {
                case "CONV" -> {
                    Window window = window(r);
                    long outputChannels = r.u32();
                    Activation activation = activation(r, name);
                    QuantizedConv2D.checkShape(window, (int) Math.min(outputChannels, Integer.MAX_VALUE));
                    int out = (int) outputChannels;
                    int weights = window.kernelHeight() * window.kernelWidth() * window.input().channels() * out;
                    requireLength(r, name + " (conv2d " + window + " to " + out + " channels)",
                            WINDOW_BYTES + 5L, out, weights, activation, length);
                    QuantFields q = quantFields(r);
                    Channels c = channels(r, out, weights, activation);
                    return new QuantizedConv2D(window, out, c.weights(), c.weightScales(), c.bias(),
                            q.input(), q.requantization(activation, c));
                }
                case "DWCV" -> {
                    Window window = window(r);
                    Activation activation = activation(r, name);
                    QuantizedDepthwiseConv2D.checkShape(window);
                    int channels = window.input().channels();
                    int weights = window.kernelHeight() * window.kernelWidth() * channels;
                    requireLength(r, name + " (depthwise conv2d " + window + ")", WINDOW_BYTES + 1L, channels, weights, activation, length);
                    QuantFields q = quantFields(r);
                    Channels c = channels(r, channels, weights, activation);
                    return new QuantizedDepthwiseConv2D(window, c.weights(), c.weightScales(), c.bias(),
                            q.input(), q.requantization(activation, c));
                }
                case "MAXP" -> {
                    MaxPool2D pool = new MaxPool2D(window(r), quant(r));
                    r.requireEnd();
                    return pool;
                }
                case "AVGP" -> {
                    AveragePool2D pool = new AveragePool2D(window(r), quant(r));
                    r.requireEnd();
                    return pool;
                }
                case "GAVP" -> {
                    GlobalAveragePool pool = new GlobalAveragePool(shape(r), quant(r));
                    r.requireEnd();
                    return pool;
                }
                default -> {
                    Flatten flatten = new Flatten(shape(r), quant(r));
                    r.requireEnd();
                    return flatten;
                }
            }
        } catch (IllegalArgumentException e) {
            throw r.chunkError(name + ": " + e.getMessage());
        }
    }

    /** Fails unless the chunk holds exactly the fixed fields, 13 bytes per channel, the weights and the table. */
    private static void requireLength(ChunkReader r, String what, long fixedBytes, int channels, int weights,
                                      Activation activation, int length) {
        long expected = fixedBytes + QUANT_FIELDS_BYTES + 13L * channels + weights + (activation.needsLookupTable() ? 256 : 0);
        if (expected != length) {
            throw r.chunkError(what + " needs " + expected + " bytes, the chunk holds " + length);
        }
    }

    private static Shape shape(ChunkReader r) {
        int height = r.u16();
        int width = r.u16();
        long channels = r.u32();
        return new Shape(height, width, (int) Math.min(channels, Integer.MAX_VALUE));
    }

    private static Window window(ChunkReader r) {
        Shape input = shape(r);
        int kernelHeight = r.u8();
        int kernelWidth = r.u8();
        int strideHeight = r.u8();
        int strideWidth = r.u8();
        int code = r.u8();
        Padding padding;
        try {
            padding = Padding.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown padding code " + code + " (written by a newer edgeml?)");
        }
        return new Window(input, kernelHeight, kernelWidth, strideHeight, strideWidth, padding);
    }

    private static QuantParams quant(ChunkReader r) {
        float scale = r.f32();
        return named("quantization", scale, r.i8());
    }

    /** The quantization parameters of {@code field}, or an error that names the field. */
    private static QuantParams named(String field, float scale, int zeroPoint) {
        try {
            return new QuantParams(scale, zeroPoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    private static Activation activation(ChunkReader r, String name) {
        int code = r.u8();
        try {
            return Activation.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw r.chunkError(name + " has unknown activation code " + code + " (written by a newer edgeml?)");
        }
    }

    private static QuantFields quantFields(ChunkReader r) {
        return new QuantFields(r.f32(), r.i8(), r.f32(), r.i8(), r.f32(), r.i8(), r.i8(), r.i8());
    }

    private static Channels channels(ChunkReader r, int channels, int weights, Activation activation) {
        float[] weightScales = r.f32s(channels);
        int[] bias = r.i32s(channels);
        int[] multiplier = r.i32s(channels);
        int[] shift = r.i8s(channels);
        byte[] w = r.bytes(weights);
        byte[] lookupTable = activation.needsLookupTable() ? r.bytes(256) : null;
        r.requireEnd();
        return new Channels(weightScales, bias, multiplier, shift, w, lookupTable);
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
