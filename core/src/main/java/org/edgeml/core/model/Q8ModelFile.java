package org.edgeml.core.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.io.Sha256;

/**
 * The int8 model file ({@code .q8}): a little-endian, versioned, chunked binary format specified byte
 * by byte in {@code docs/model-format.md}. Reading validates every byte and fails with a
 * {@link ModelFormatException} that names the problem; it never allocates more than the file holds.
 */
public final class Q8ModelFile {
    static final byte[] MAGIC = "EDGEMLQ8".getBytes(StandardCharsets.US_ASCII);
    /**
     * The newest format version this edgeml reads. A model is written in the oldest version that holds it: see
     * {@link #DENSE_VERSION}, {@link #FEATURE_VERSION}, {@link #COLOUR_VERSION}.
     */
    public static final int VERSION = 3;
    /** Version 1: dense layers only. Grey models without feature layers or maxout are still written as version 1, byte for byte. */
    public static final int DENSE_VERSION = 1;
    /** Version 2 adds the feature layer chunks; grey models with feature layers and without maxout are written as version 2. */
    public static final int FEATURE_VERSION = 2;
    /** Version 3 adds the input's channel count to {@code INPT} and the maxout pieces to {@code DENS}; colour and maxout models are written as version 3. */
    public static final int COLOUR_VERSION = 3;
    /** The feature layer chunks version 2 adds, in {@link FeatureLayer} kinds: conv2d, depthwise, max, average, global average pool, flatten. */
    static final Set<String> FEATURE_CHUNKS = Set.of("CONV", "DWCV", "MAXP", "AVGP", "GAVP", "FLAT");
    /** The chunk types the versions define; others with an uppercase first letter are refused. */
    static final Set<String> KNOWN_CHUNKS = Set.of("INFO", "INPT", "CONV", "DWCV", "MAXP", "AVGP", "GAVP", "FLAT",
            "DENS", "GOLD", "DGST", "SIGN");
    static final int HEADER_BYTES = 12;
    static final int CHUNK_HEADER_BYTES = 8;
    static final int DIGEST_BYTES = 32;
    /** The trailer chunk that holds a {@link ModelSignature}. */
    static final String SIGNATURE_CHUNK = "SIGN";
    /** Larger files are refused before reading them. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private Q8ModelFile() {}

    /** The version a model is written as: {@link #DENSE_VERSION} when it suffices, else {@link #VERSION}. */
    public static int version(Q8Model model) {
        if (model.input().channels() != InputQuantization.GREY || model.layers().stream().anyMatch(QuantizedDense::isMaxout)) {
            return COLOUR_VERSION;
        }
        return model.features().isEmpty() ? DENSE_VERSION : FEATURE_VERSION;
    }

    public static byte[] encode(Q8Model model) {
        return Q8Encoder.encode(model);
    }

    /**
     * Writes the model atomically (a reader sees the old file or the complete new one).
     *
     * @throws EdgemlException when the file cannot be written
     */
    public static void write(Q8Model model, Path file) {
        writeBytes(encode(model), file);
    }

    /**
     * Writes the bytes of a model file atomically.
     *
     * @throws EdgemlException when the file cannot be written
     */
    public static void writeBytes(byte[] bytes, Path file) {
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new EdgemlException(file + ": cannot write the model file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates a model file.
     *
     * @throws ModelFormatException when the file is not a valid model
     * @throws EdgemlException when the file cannot be read
     */
    public static LoadedModel read(Path file) {
        return decode(readBytes(file), String.valueOf(file.getFileName()));
    }

    /**
     * The bytes of a model file, not yet validated (files over {@link #MAX_FILE_BYTES} are refused).
     *
     * @throws ModelFormatException when the file is too large
     * @throws EdgemlException when the file cannot be read
     */
    public static byte[] readBytes(Path file) {
        String name = String.valueOf(file.getFileName());
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ModelFormatException(name + ": " + size + " bytes is too large for a model file (at most "
                        + MAX_FILE_BYTES + ")");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EdgemlException(file + ": no such model file: check the path");
        } catch (IOException e) {
            throw new EdgemlException(file + ": cannot read the model file: " + e.getMessage(), e);
        }
    }

    /** Validates and decodes the bytes of a model file; {@code sourceName} prefixes error messages. */
    public static LoadedModel decode(byte[] bytes, String sourceName) {
        return new Q8Decoder(bytes, sourceName).decode();
    }

    /**
     * The same model file with {@code signature} as its only SIGN trailer chunk (an old signature is replaced;
     * other trailer chunks are kept). The bytes up to DGST, and so the model id, do not change.
     *
     * @throws ModelFormatException when {@code file} is not a valid model
     */
    public static byte[] withSignature(byte[] file, String sourceName, ModelSignature signature) {
        Q8Decoder decoder = new Q8Decoder(file, sourceName);
        decoder.decode();
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + CHUNK_HEADER_BYTES + ModelSignature.PAYLOAD_BYTES);
        out.write(file, 0, decoder.digestEnd());
        decoder.unsignedTrailer().forEach(out::writeBytes);
        out.writeBytes(SIGNATURE_CHUNK.getBytes(StandardCharsets.US_ASCII));
        int n = ModelSignature.PAYLOAD_BYTES;
        out.writeBytes(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        out.writeBytes(HexFormat.of().parseHex(signature.keyId()));
        out.writeBytes(signature.signature());
        return out.toByteArray();
    }

    /** True when {@code file} starts with the int8 model magic (so other readers can say what it is). */
    public static boolean hasMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] sha256(byte[] bytes, int length) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(bytes, 0, length);
        return digest.digest();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
