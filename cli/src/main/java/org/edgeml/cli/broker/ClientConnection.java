package org.edgeml.cli.broker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's network connection: a reader thread that handles its packets and a writer thread that
 * sends what is queued for it, one frame after another. Any protocol error closes the connection; an
 * end without DISCONNECT publishes the client's last will.
 */
final class ClientConnection {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_QUEUED_FRAMES = 16_384;

    private final Socket socket;
    private final EmbeddedBroker broker;
    private final Router router;
    private final BlockingQueue<byte[]> outgoing = new LinkedBlockingQueue<>(MAX_QUEUED_FRAMES);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CountDownLatch endedLatch = new CountDownLatch(1);
    private final Thread reader;
    private final Thread writer;
    private volatile String clientId;
    private volatile Session session;
    private Message will;

    ClientConnection(Socket socket, EmbeddedBroker broker, Router router, String name) {
        this.socket = socket;
        this.broker = broker;
        this.router = router;
        this.reader = new Thread(this::readLoop, name + "-read");
        this.writer = new Thread(this::writeLoop, name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** Queues a frame; a client that cannot keep up is disconnected rather than buffered without end. */
    void send(byte[] frame) {
        if (!outgoing.offer(frame)) {
            broker.log("client " + clientId + " does not read its messages; disconnecting it");
            closeSocket();
        }
    }

    /** Closes the socket; the reader thread then ends the connection (and publishes the will). */
    void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    boolean awaitEnd(long millis) throws InterruptedException {
        return endedLatch.await(millis, TimeUnit.MILLISECONDS);
    }

    private void readLoop() {
        String reason = "connection lost";
        boolean graceful = false;
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            Packet first = Packet.readConnect(in);
            if (first == null) {
                reason = "closed before CONNECT";
            } else if (connect(first)) {
                graceful = serve(in);
                reason = graceful ? "disconnected" : "connection closed without DISCONNECT";
            } else {
                reason = "refused";
            }
        } catch (SocketTimeoutException e) {
            reason = session == null ? "no CONNECT in time" : "keep-alive expired";
        } catch (MalformedPacketException e) {
            reason = "protocol error: " + e.getMessage();
        } catch (IOException e) {
            reason = "connection lost";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "broker stopping";
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
        } finally {
            end(graceful, reason);
        }
    }

    /** Handles CONNECT; returns false when refused (the CONNACK saying why is already written). */
    private boolean connect(Packet p) throws IOException, InterruptedException {
        p.requireFlags(0);
        PacketBody body = p.parse();
        String protocol = body.readString();
        int level = body.readByte();
        if (!protocol.equals("MQTT") && !protocol.equals("MQIsdp")) {
            throw new MalformedPacketException("unknown protocol " + protocol);
        }
        if (!(protocol.equals("MQTT") && level == 4 || protocol.equals("MQIsdp") && level == 3)) {
            return refuse(1, "protocol level " + level + " is not supported");
        }
        int flags = body.readByte();
        int keepAliveSeconds = body.readShort();
        boolean clean = (flags & 0x02) != 0;
        boolean hasWill = (flags & 0x04) != 0;
        int willQos = flags >>> 3 & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        if ((flags & 0x01) != 0 || willQos == 3 || !hasWill && (willQos != 0 || willRetain)
                || (flags & 0x80) == 0 && (flags & 0x40) != 0 && level == 4) {
            throw new MalformedPacketException("invalid CONNECT flags " + flags);
        }
        String id = body.readString();
        if (hasWill) {
            String topic = body.readString();
            if (!TopicFilter.isValidTopicName(topic)) {
                throw new MalformedPacketException("invalid will topic " + topic);
            }
            will = new Message(topic, body.readBinary(), Math.min(willQos, 1), willRetain);
        }
        if ((flags & 0x80) != 0) {
            body.readString(); // user name: any is welcome
        }
        if ((flags & 0x40) != 0) {
            body.readBinary(); // password
        }
        body.requireEnd();
        if (id.isEmpty()) {
            if (!clean) {
                return refuse(2, "an empty client id needs a clean session");
            }
            id = broker.newClientId();
        }
        clientId = id;
        socket.setSoTimeout(keepAliveSeconds * 1500);
        boolean sessionPresent = broker.openSession(this, clean);
        broker.log("client " + id + " connected" + (clean ? "" : " (persistent session"
                + (sessionPresent ? " resumed)" : ")")));
        return true;
    }

    String clientId() {
        return clientId;
    }

    /** Accepts the connection into its session: CONNACK, then whatever the session has waiting. */
    void begin(Session s, boolean sessionPresent) {
        session = s;
        writer.start();
        send(PacketEncoder.connack(sessionPresent, 0));
        s.attach(this);
    }

    private boolean refuse(int returnCode, String why) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(PacketEncoder.connack(false, returnCode));
        out.flush();
        broker.log("refused a client: " + why);
        return false;
    }

    /** Handles packets until DISCONNECT (true) or the end of the stream (false). */
    private boolean serve(InputStream in) throws IOException {
        while (true) {
            Packet p = Packet.read(in);
            if (p == null) {
                return false;
            }
            switch (p.type()) {
                case Packet.PUBLISH -> publish(p);
                case Packet.PUBACK -> {
                    p.requireFlags(0);
                    session.acknowledge(packetIdOnly(p));
                }
                case Packet.PUBREL -> {
                    p.requireFlags(2);
                    int id = packetIdOnly(p);
                    session.releasedQos2(id);
                    send(PacketEncoder.ack(Packet.PUBCOMP, id));
                }
                case Packet.SUBSCRIBE -> subscribe(p);
                case Packet.UNSUBSCRIBE -> unsubscribe(p);
                case Packet.PINGREQ -> {
                    p.requireFlags(0);
                    p.parse().requireEnd();
                    send(PacketEncoder.pingresp());
                }
                case Packet.DISCONNECT -> {
                    p.requireFlags(0);
                    p.parse().requireEnd();
                    return true;
                }
                default -> throw new MalformedPacketException("unexpected packet type " + p.type());
            }
        }
    }

    private void publish(Packet p) throws MalformedPacketException {
        int qos = p.flags() >>> 1 & 0x03;
        if (qos == 3) {
            throw new MalformedPacketException("PUBLISH with QoS 3");
        }
        PacketBody body = p.parse();
        String topic = body.readString();
        if (!TopicFilter.isValidTopicName(topic)) {
            throw new MalformedPacketException("invalid topic name '" + topic + "'");
        }
        int id = qos > 0 ? nonZeroPacketId(body) : 0;
        Message m = new Message(topic, body.readRest(), Math.min(qos, 1), (p.flags() & 0x01) != 0);
        switch (qos) {
            case 0 -> router.publish(m);
            case 1 -> {
                router.publish(m);
                send(PacketEncoder.ack(Packet.PUBACK, id));
            }
            default -> {
                if (session.receivedQos2(id)) {
                    router.publish(m);
                }
                send(PacketEncoder.ack(Packet.PUBREC, id));
            }
        }
    }

    private void subscribe(Packet p) throws MalformedPacketException {
        p.requireFlags(2);
        PacketBody body = p.parse();
        int id = nonZeroPacketId(body);
        List<String> filters = new ArrayList<>();
        List<Integer> requested = new ArrayList<>();
        do {
            filters.add(body.readString());
            int qos = body.readByte();
            if (qos > 2) {
                throw new MalformedPacketException("SUBSCRIBE with requested QoS byte " + qos);
            }
            requested.add(qos);
        } while (body.remaining() > 0);
        byte[] codes = new byte[filters.size()];
        int[] granted = new int[filters.size()];
        for (int i = 0; i < filters.size(); i++) {
            boolean valid = TopicFilter.isValidFilter(filters.get(i));
            granted[i] = valid ? session.subscribe(filters.get(i), requested.get(i)) : -1;
            codes[i] = (byte) (valid ? granted[i] : 0x80);
        }
        send(PacketEncoder.suback(id, codes));
        for (int i = 0; i < filters.size(); i++) {
            if (granted[i] >= 0) {
                for (Message r : router.retainedMatching(filters.get(i))) {
                    session.deliver(new Message(r.topic(), r.payload(), Math.min(r.qos(), granted[i]), true));
                }
            }
        }
    }

    private void unsubscribe(Packet p) throws MalformedPacketException {
        p.requireFlags(2);
        PacketBody body = p.parse();
        int id = nonZeroPacketId(body);
        do {
            session.unsubscribe(body.readString());
        } while (body.remaining() > 0);
        send(PacketEncoder.ack(Packet.UNSUBACK, id));
    }

    private static int packetIdOnly(Packet p) throws MalformedPacketException {
        PacketBody body = p.parse();
        int id = body.readShort();
        body.requireEnd();
        return id;
    }

    private static int nonZeroPacketId(PacketBody body) throws MalformedPacketException {
        int id = body.readShort();
        if (id == 0) {
            throw new MalformedPacketException("packet identifier 0");
        }
        return id;
    }

    private void writeLoop() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] frame = outgoing.take();
                out.write(frame);
                if (outgoing.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            closeSocket(); // the reader sees the socket closed and ends the connection
        }
    }

    private void end(boolean graceful, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        closeSocket();
        writer.interrupt();
        if (session != null) {
            session.detach(this);
            if (session.clean()) {
                router.removeSession(session);
            }
        }
        if (!graceful && will != null && session != null) {
            router.publish(will);
            broker.log("client " + clientId + ": " + reason + "; published its will to " + will.topic());
        } else {
            broker.log((clientId == null ? "a client" : "client " + clientId) + ": " + reason);
        }
        broker.connectionEnded(this);
        endedLatch.countDown();
    }
}
