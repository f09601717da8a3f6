package org.edgeml.cli.broker;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the broker keeps for one client id: its subscriptions, the QoS 1 messages sent but not yet
 * acknowledged, the messages waiting (while offline, or behind a full in-flight window) and the QoS 2
 * packet ids received but not yet released. A persistent session outlives its connections; messages
 * leave in the order they were offered.
 */
final class Session {
    static final int IN_FLIGHT_WINDOW = 1024;
    static final int MAX_QUEUED = 100_000;

    private final String clientId;
    private final boolean clean;
    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, Message> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<Message> queued = new ArrayDeque<>();
    private final Set<Integer> qos2Received = new HashSet<>();
    private ClientConnection connection;
    private int lastPacketId;

    Session(String clientId, boolean clean) {
        this.clientId = clientId;
        this.clean = clean;
    }

    String clientId() {
        return clientId;
    }

    boolean clean() {
        return clean;
    }

    synchronized ClientConnection connection() {
        return connection;
    }

    /** Takes a new connection: unacknowledged messages go again (flagged DUP), then the waiting ones. */
    synchronized void attach(ClientConnection c) {
        connection = c;
        inFlight.forEach((id, m) -> c.send(PacketEncoder.publish(m, 1, id, m.retain(), true)));
        drain();
    }

    synchronized void detach(ClientConnection c) {
        if (connection == c) {
            connection = null;
        }
    }

    /** @return the granted QoS */
    synchronized int subscribe(String filter, int requestedQos) {
        int granted = Math.min(requestedQos, 1);
        subscriptions.put(filter, granted);
        return granted;
    }

    synchronized void unsubscribe(String filter) {
        subscriptions.remove(filter);
    }

    /** Routes a published message here if a subscription matches (once, at the highest matching QoS). */
    synchronized void offer(Message m) {
        int qos = -1;
        for (Map.Entry<String, Integer> s : subscriptions.entrySet()) {
            if (TopicFilter.matches(s.getKey(), m.topic())) {
                qos = Math.max(qos, s.getValue());
            }
        }
        if (qos >= 0) {
            deliver(new Message(m.topic(), m.payload(), Math.min(m.qos(), qos), false));
        }
    }

    /** Sends the message as given (QoS and retain flag already decided), or keeps it for later. */
    synchronized void deliver(Message m) {
        if (connection == null) {
            if (m.qos() > 0) {
                enqueue(m);
            }
        } else if (!queued.isEmpty() || (m.qos() > 0 && inFlight.size() >= IN_FLIGHT_WINDOW)) {
            enqueue(m);
        } else {
            transmit(m);
        }
    }

    synchronized void acknowledge(int packetId) {
        if (inFlight.remove(packetId) != null) {
            drain();
        }
    }

    /** @return false for a duplicate of a QoS 2 message already received (not to be routed again) */
    synchronized boolean receivedQos2(int packetId) {
        return qos2Received.add(packetId);
    }

    synchronized void releasedQos2(int packetId) {
        qos2Received.remove(packetId);
    }

    private void enqueue(Message m) {
        if (queued.size() >= MAX_QUEUED) {
            queued.removeFirst();
        }
        queued.addLast(m);
    }

    private void drain() {
        while (connection != null && !queued.isEmpty()
                && (queued.peekFirst().qos() == 0 || inFlight.size() < IN_FLIGHT_WINDOW)) {
            transmit(queued.removeFirst());
        }
    }

    private void transmit(Message m) {
        if (m.qos() == 0) {
            connection.send(PacketEncoder.publish(m, 0, 0, m.retain(), false));
            return;
        }
        int id = nextPacketId();
        inFlight.put(id, m);
        connection.send(PacketEncoder.publish(m, 1, id, m.retain(), false));
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId % 0xFFFF + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }
}
