package org.edgeml.cli.broker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A cursor over a packet body that reads MQTT's integers, strings and binary fields, rejecting overruns. */
final class PacketBody {
    private final byte[] bytes;
    private int position;

    PacketBody(byte[] bytes) {
        this.bytes = bytes;
    }

    int remaining() {
        return bytes.length - position;
    }

    int readByte() throws MalformedPacketException {
        need(1);
        return bytes[position++] & 0xFF;
    }

    int readShort() throws MalformedPacketException {
        need(2);
        int value = (bytes[position] & 0xFF) << 8 | bytes[position + 1] & 0xFF;
        position += 2;
        return value;
    }

    byte[] readBinary() throws MalformedPacketException {
        return readBytes(readShort());
    }

    byte[] readRest() throws MalformedPacketException {
        return readBytes(remaining());
    }

    /** A UTF-8 string field; MQTT forbids ill-formed UTF-8 and the null character. */
    String readString() throws MalformedPacketException {
        byte[] raw = readBinary();
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPacketException("string field is not UTF-8");
        }
        if (s.indexOf('\u0000') >= 0) {
            throw new MalformedPacketException("string field contains a null character");
        }
        return s;
    }

    void requireEnd() throws MalformedPacketException {
        if (remaining() != 0) {
            throw new MalformedPacketException(remaining() + " unexpected bytes at the end of a packet");
        }
    }

    private byte[] readBytes(int n) throws MalformedPacketException {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(bytes, position, out, 0, n);
        position += n;
        return out;
    }

    private void need(int n) throws MalformedPacketException {
        if (remaining() < n) {
            throw new MalformedPacketException("packet shorter than its fields");
        }
    }
}
