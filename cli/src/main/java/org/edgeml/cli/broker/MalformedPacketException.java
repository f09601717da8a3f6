package org.edgeml.cli.broker;

import java.io.IOException;

/** A client sent bytes that are not MQTT 3.1.1; the broker closes that connection. */
final class MalformedPacketException extends IOException {
    MalformedPacketException(String message) {
        super(message);
    }
}
