package org.edgeml.cli.broker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The packets the broker sends, encoded as complete frames. */
final class PacketEncoder {
    private PacketEncoder() {}

    static byte[] connack(boolean sessionPresent, int returnCode) {
        return new byte[] {(byte) (Packet.CONNACK << 4), 2, (byte) (sessionPresent ? 1 : 0), (byte) returnCode};
    }

    /** PUBACK, PUBREC, PUBCOMP and UNSUBACK: a packet identifier and nothing else. */
    static byte[] ack(int type, int packetId) {
        return new byte[] {(byte) (type << 4), 2, (byte) (packetId >>> 8), (byte) packetId};
    }

    static byte[] suback(int packetId, byte[] returnCodes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(2 + returnCodes.length);
        writeShort(body, packetId);
        body.writeBytes(returnCodes);
        return frame(Packet.SUBACK << 4, body);
    }

    static byte[] pingresp() {
        return new byte[] {(byte) (Packet.PINGRESP << 4), 0};
    }

    /** @param packetId ignored at QoS 0 */
    static byte[] publish(Message m, int qos, int packetId, boolean retain, boolean dup) {
        byte[] topic = m.topic().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream(topic.length + m.payload().length + 4);
        writeShort(body, topic.length);
        body.writeBytes(topic);
        if (qos > 0) {
            writeShort(body, packetId);
        }
        body.writeBytes(m.payload());
        int header = Packet.PUBLISH << 4 | (dup ? 0x08 : 0) | qos << 1 | (retain ? 1 : 0);
        return frame(header, body);
    }

    private static byte[] frame(int header, ByteArrayOutputStream body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 5);
        out.write(header);
        int length = body.size();
        do {
            int digit = length & 0x7F;
            length >>>= 7;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }
}
