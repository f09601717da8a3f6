package org.edgeml.cli.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The broker's shared state: sessions by client id and retained messages by topic; routes publications. */
final class Router {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Message> retained = new ConcurrentHashMap<>();

    Session session(String clientId) {
        return sessions.get(clientId);
    }

    void putSession(Session s) {
        sessions.put(s.clientId(), s);
    }

    void removeSession(Session s) {
        sessions.remove(s.clientId(), s);
    }

    /** Stores or clears (empty payload) a retained message, then offers the message to every session. */
    void publish(Message m) {
        if (m.retain()) {
            if (m.payload().length == 0) {
                retained.remove(m.topic());
            } else {
                retained.put(m.topic(), m);
            }
        }
        for (Session s : sessions.values()) {
            s.offer(m);
        }
    }

    List<Message> retainedMatching(String filter) {
        List<Message> out = new ArrayList<>();
        for (Message m : retained.values()) {
            if (TopicFilter.matches(filter, m.topic())) {
                out.add(m);
            }
        }
        return out;
    }
}
