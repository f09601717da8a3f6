package org.edgeml.core.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Takes model files apart and puts them back together with a fresh digest, to craft bad files. */
final class ModelBytes {
    record Chunk(String type, byte[] payload) {}

    private ModelBytes() {}

    /** The chunks before DGST of a well-formed file. */
    static List<Chunk> chunks(byte[] file) {
        List<Chunk> chunks = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.position(12);
        while (true) {
            byte[] type = new byte[4];
            b.get(type);
            byte[] payload = new byte[b.getInt()];
            b.get(payload);
            String t = new String(type, StandardCharsets.US_ASCII);
            if (t.equals("DGST")) {
                return chunks;
            }
            chunks.add(new Chunk(t, payload));
        }
    }

    static byte[] assemble(int version, int flags, List<Chunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("EDGEMLQ8".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(2, version));
        out.writeBytes(le(2, flags));
        for (Chunk c : chunks) {
            out.writeBytes(chunk(c.type(), c.payload()));
        }
        byte[] body = out.toByteArray();
        out.writeBytes(chunk("DGST", Q8ModelFile.sha256(body, body.length)));
        return out.toByteArray();
    }

    static byte[] chunk(String type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(4, payload.length));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Re-digests a file whose chunks before DGST were changed in place (framing intact). */
    static byte[] redigest(byte[] file) {
        return assemble(file[8] & 0xFF | (file[9] & 0xFF) << 8, file[10] & 0xFF | (file[11] & 0xFF) << 8, chunks(file));
    }

    static byte[] le(int n, long v) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
