package org.edgeml.cli.broker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One MQTT control packet as read from the wire: the type and flags of the fixed header and the body
 * (variable header and payload). Reading enforces the broker's limit on the remaining length.
 */
record Packet(int type, int flags, byte[] body) {
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBSCRIBE = 10;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    static final int MAX_REMAINING_LENGTH = 1 << 20;

    /** The next packet, or null at a clean end of stream between packets. */
    static Packet read(InputStream in) throws IOException {
        int first = in.read();
        return first < 0 ? null : readAfter(first, in);
    }

    /** The first packet of a connection, which must be CONNECT (checked before waiting for the rest). */
    static Packet readConnect(InputStream in) throws IOException {
        int first = in.read();
        if (first >= 0 && first >>> 4 != CONNECT) {
            throw new MalformedPacketException("first packet is type " + (first >>> 4) + ", not CONNECT");
        }
        return first < 0 ? null : readAfter(first, in);
    }

    private static Packet readAfter(int first, InputStream in) throws IOException {
        int length = readRemainingLength(in);
        return new Packet(first >>> 4, first & 0x0F, in.readNBytes(length)).complete(length);
    }

    private Packet complete(int length) throws EOFException {
        if (body.length != length) {
            throw new EOFException("connection closed inside a packet");
        }
        return this;
    }

    private static int readRemainingLength(InputStream in) throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a packet header");
            }
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value > MAX_REMAINING_LENGTH) {
                    throw new MalformedPacketException("packet of " + value + " bytes exceeds the "
                            + MAX_REMAINING_LENGTH + "-byte limit");
                }
                return value;
            }
        }
        throw new MalformedPacketException("remaining length longer than 4 bytes");
    }

    /** The fixed-header flags MQTT 3.1.1 requires for every type but PUBLISH. */
    void requireFlags(int expected) throws MalformedPacketException {
        if (flags != expected) {
            throw new MalformedPacketException("packet type " + type + " with flags " + flags);
        }
    }

    PacketBody parse() {
        return new PacketBody(body);
    }
}
