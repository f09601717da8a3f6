package org.edgeml.deploy.verify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.edgeml.core.EdgemlException;

/**
 * Verifies through the device's retained MQTT status {@code <prefix>/<device>/status}. It subscribes before
 * the restart and accepts only a message published after that (the broker clears the retain flag on live
 * messages), so the old process's retained "online" never counts, even for the same model.
 */
public final class MqttStatusVerifier implements Verifier {
    private final String broker;
    private final String topic;
    private final String username;
    private final char[] password;
    private final LinkedBlockingQueue<String> live = new LinkedBlockingQueue<>();
    private MqttClient client;

    public MqttStatusVerifier(String broker, String topicPrefix, String deviceId, String username, char[] password) {
        this.broker = broker;
        this.topic = topicPrefix + "/" + deviceId + "/status";
        this.username = username;
        this.password = password;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void arm() {
        try {
            client = new MqttClient(broker, "edgeml-deploy-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setConnectionTimeout(10);
            if (username != null) {
                options.setUserName(username);
                if (password != null) {
                    options.setPassword(password);
                }
            }
            client.connect(options);
            client.subscribe(topic, 1, (t, message) -> {
                if (!message.isRetained()) {
                    live.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }
            });
        } catch (MqttException e) {
            close();
            throw new EdgemlException("cannot watch " + topic + " on " + broker + " (" + e.getMessage()
                    + "); check --verify-broker, or use --verify health", e);
        }
    }

    @Override
    public String await(String modelId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String text = left <= 0 ? null : live.poll(left, TimeUnit.NANOSECONDS);
                if (text == null) {
                    return "no online status with model " + modelId + " on " + topic + " within " + timeout.toSeconds() + " s"
                            + (last == null ? "" : " (last: " + last + ")");
                }
                HealthReport report = HealthReport.parse(text);
                if (report != null && report.onlineWith(modelId)) {
                    return null;
                }
                if (report != null && report.failed()) {
                    return "the runtime reported " + report.describe();
                }
                last = report == null ? "unreadable status" : report.describe();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for " + topic;
        }
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect(2000);
                }
                client.close();
            } catch (MqttException ignored) {
                // closing a watcher that failed is best effort
            }
            client = null;
        }
    }
}
