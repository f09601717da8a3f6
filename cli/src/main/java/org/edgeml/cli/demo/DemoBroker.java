package org.edgeml.cli.demo;

/** The MQTT broker the demo publishes to, open until closed. */
public interface DemoBroker extends AutoCloseable {
    /** Where clients connect, e.g. {@code tcp://127.0.0.1:41234}. */
    String url();

    /** One line for the user, e.g. {@code mosquitto 2.0.11 on port 41234}. */
    String description();

    /** Stops the broker if the demo started it; bounded. */
    @Override
    void close();
}
