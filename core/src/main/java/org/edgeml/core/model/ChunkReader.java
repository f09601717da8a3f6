package org.edgeml.core.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the little-endian fields of one chunk's payload, refusing to read past its end. Every length
 * is checked against the bytes left before anything is allocated.
 */
final class ChunkReader {
    private final byte[] bytes;
    private final String source;
    private final String chunk;
    private final int start;
    private final int end;
    private int pos;

    ChunkReader(byte[] bytes, String source, String chunk, int start, int length) {
        this.bytes = bytes;
        this.source = source;
        this.chunk = chunk;
        this.start = start;
        this.end = start + length;
        this.pos = start;
    }

    /** The chunk's type, e.g. {@code CONV}. */
    String type() {
        return chunk;
    }

    int remaining() {
        return end - pos;
    }

    ModelFormatException error(String message) {
        return new ModelFormatException(source + ": " + message);
    }

    /** An error about this chunk, naming it and where it starts in the file. */
    ModelFormatException chunkError(String message) {
        return error("chunk " + chunk + " at byte " + (start - Q8ModelFile.CHUNK_HEADER_BYTES) + ": " + message);
    }

    private int take(int n) {
        if (n < 0 || n > end - pos) {
            throw chunkError("needs " + Integer.toUnsignedString(n) + " more bytes at byte " + pos
                    + " but only " + (end - pos) + " are left in the chunk");
        }
        int at = pos;
        pos += n;
        return at;
    }

    int u8() {
        return bytes[take(1)] & 0xFF;
    }

    int i8() {
        return bytes[take(1)];
    }

    int u16() {
        int at = take(2);
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    int i32() {
        int at = take(4);
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | (bytes[at + 3] & 0xFF) << 24;
    }

    /** An unsigned 32-bit field, as a long. */
    long u32() {
        return i32() & 0xFFFFFFFFL;
    }

    float f32() {
        return Float.intBitsToFloat(i32());
    }

    double f64() {
        long low = u32();
        return Double.longBitsToDouble(low | (long) i32() << 32);
    }

    byte[] bytes(int n) {
        int at = take(n);
        byte[] copy = new byte[n];
        System.arraycopy(bytes, at, copy, 0, n);
        return copy;
    }

    int[] i32s(int n) {
        if (n < 0 || (long) n * 4 > remaining()) {
            throw chunkError("needs " + 4L * n + " more bytes at byte " + pos + " but only " + remaining()
                    + " are left in the chunk");
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i32();
        }
        return values;
    }

    float[] f32s(int n) {
        int[] bits = i32s(n);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = Float.intBitsToFloat(bits[i]);
        }
        return values;
    }

    int[] i8s(int n) {
        byte[] raw = bytes(n);
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = raw[i];
        }
        return values;
    }

    String str16(String what) {
        return utf8(what, u16());
    }

    String str32(String what) {
        long n = u32();
        if (n > remaining()) {
            throw chunkError(what + " claims " + n + " bytes but only " + remaining() + " are left in the chunk");
        }
        return utf8(what, (int) n);
    }

    private String utf8(String what, int n) {
        int at = take(n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, at, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw chunkError(what + " at byte " + at + " is not valid UTF-8");
        }
    }

    /** Fails unless the whole payload was read. */
    void requireEnd() {
        if (pos != end) {
            throw chunkError("has " + (end - pos) + " unexpected bytes after its fields at byte " + pos);
        }
    }
}
