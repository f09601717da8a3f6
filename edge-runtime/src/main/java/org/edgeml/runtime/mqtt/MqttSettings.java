package org.edgeml.runtime.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.edgeml.runtime.config.RunConfig;

/**
 * How to reach and use the broker. Optional paths are {@code null} when unused.
 *
 * @param persistenceDir Paho's message store; {@code null} keeps it in memory (never the working directory)
 * @param offlineBuffer  messages kept while disconnected; beyond it the oldest is dropped
 * @param maxInflight    QoS 1/2 messages awaiting acknowledgement before publishing waits (Paho's default, 10,
 *                       makes bursts fail)
 * @param firstRetry     the wait after the first failed connect, doubling up to {@code maxRetry}
 */
public record MqttSettings(String broker, String clientId, boolean cleanSession, String username, Path passwordFile,
        Path cafile, Path cert, Path key, int qos, int offlineBuffer, Path persistenceDir, boolean discovery,
        int maxInflight, Duration firstRetry, Duration maxRetry) {

    /**
     * The longest wait between connection attempts. Short enough that a broker back from an outage is found
     * again within 10 s (so a run that ends soon after still delivers what it buffered), long enough to
     * cost an idle broker nothing.
     */
    public static final Duration MAX_RETRY = Duration.ofSeconds(10);

    public MqttSettings {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(clientId, "clientId");
        if (qos < 0 || qos > 2 || offlineBuffer < 1 || maxInflight < 1 || firstRetry.isNegative()
                || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("bad MQTT settings");
        }
    }

    public static MqttSettings from(RunConfig c) {
        return new MqttSettings(c.broker(), c.clientId(), c.cleanSession(), c.username(), c.passwordFile(),
                c.cafile(), c.cert(), c.key(), c.qos(), c.offlineBuffer(), c.persistenceDir(), c.discovery(),
                1000, Duration.ofSeconds(1), MAX_RETRY);
    }

    /** Settings for a plain local broker, as tests and the demo use. */
    public static MqttSettings plain(String broker, String clientId) {
        return new MqttSettings(broker, clientId, false, null, null, null, null, null, 1, 10_000, null, true, 1000,
                Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    public MqttSettings withOfflineBuffer(int size) {
        return new MqttSettings(broker, clientId, cleanSession, username, passwordFile, cafile, cert, key, qos, size,
                persistenceDir, discovery, maxInflight, firstRetry, maxRetry);
    }

    public MqttSettings withDiscovery(boolean on) {
        return new MqttSettings(broker, clientId, cleanSession, username, passwordFile, cafile, cert, key, qos,
                offlineBuffer, persistenceDir, on, maxInflight, firstRetry, maxRetry);
    }
}
