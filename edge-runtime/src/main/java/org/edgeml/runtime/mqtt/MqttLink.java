package org.edgeml.runtime.mqtt;

import java.time.Duration;

/**
 * The runtime's MQTT connection: publishes predictions and keeps the retained status right. Never throws
 * for network trouble: while the broker is away messages wait in a bounded buffer (oldest dropped and
 * counted) and the link keeps reconnecting.
 */
public interface MqttLink extends AutoCloseable {

    /** Starts connecting in the background and returns at once. */
    void start();

    /** Waits up to {@code timeout} for a connection; true when connected. */
    boolean awaitConnected(Duration timeout) throws InterruptedException;

    boolean isConnected();

    /** Publishes a prediction payload (see {@link Messages#prediction}) at the configured QoS. */
    void publishPrediction(String json);

    /** Publishes {@code payload} (an image, a command's reply) on {@code topic} at QoS 1, not retained. */
    void publishBytes(String topic, byte[] payload);

    /**
     * Before {@link #start()}: subscribe to the device's command topic ({@code PREFIX/DEVICE/set}) at QoS 1 on
     * every connect and hand each message (payload, retained flag) to {@code handler} on the MQTT thread. Without
     * it the link takes no commands (and unsubscribes what an earlier session of the same client id kept).
     */
    void onCommands(java.util.function.BiConsumer<byte[], Boolean> handler);

    /** Publishes the retained online status now, e.g. after a counter changed. */
    void publishStatus();

    /**
     * Publishes the retained error status (the runtime refuses to run), now or, before {@link #start()},
     * instead of the online status on connecting; {@link #close()} then leaves it in place instead of
     * publishing offline.
     */
    void publishError(String reason);

    /** Messages waiting in the offline buffer for the broker. */
    int pending();

    /** Messages lost: dropped from the full offline buffer or refused by the client. */
    long dropped();

    /**
     * After {@link #close()}: messages the broker never acknowledged (still in the offline buffer or in
     * flight); 0 before.
     */
    long undelivered();

    /** The last connection failure, for a start-up error message; empty when none. */
    String lastError();

    /** Publishes the offline status, lets in-flight messages finish (bounded) and disconnects. */
    @Override
    void close();
}
