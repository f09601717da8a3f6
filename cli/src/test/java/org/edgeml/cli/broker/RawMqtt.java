package org.edgeml.cli.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Hand-made MQTT bytes on a plain socket, for what Paho will not do: misbehave. */
final class RawMqtt implements AutoCloseable {
    private final Socket socket;

    RawMqtt(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
    }

    /** A clean-session MQTT 3.1.1 CONNECT with a QoS 1 will. */
    static byte[] connectWithWill(String clientId, int keepAliveSeconds, String willTopic, String will,
            boolean willRetain) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);
        body.write(0x02 | 0x04 | 0x08 | (willRetain ? 0x20 : 0));
        body.write(keepAliveSeconds >>> 8);
        body.write(keepAliveSeconds);
        string(body, clientId);
        string(body, willTopic);
        string(body, will);
        if (body.size() > 127) {
            throw new IllegalArgumentException("keep it short: one length byte");
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    byte[] read(int n) throws IOException {
        return socket.getInputStream().readNBytes(n);
    }

    /** Whether the broker closed the connection (end of stream, or reset) within ten seconds. */
    boolean closedByBroker() throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain whatever came before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
