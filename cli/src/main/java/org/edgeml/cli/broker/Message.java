package org.edgeml.cli.broker;

import java.util.Objects;

/** An application message inside the broker; QoS is at most 1 here (QoS 2 is delivered as QoS 1). */
record Message(String topic, byte[] payload, int qos, boolean retain) {
    Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("qos " + qos);
        }
    }
}
