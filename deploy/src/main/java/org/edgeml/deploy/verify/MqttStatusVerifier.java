package org.edgeml.deploy.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;
import org.edgeml.host.mqtt.MqttSubscription;
import org.edgeml.mqtt.Broker;

/**
 * Verifies through the device's retained MQTT status {@code <prefix>/<device>/status}, connecting as the
 * device does (login and TLS from {@link Broker}). It subscribes before anything changes; every run (boot id)
 * heard until {@link #beforeRestart} is the old process's, retained or live, so only a status from a process
 * started after that counts, even when the old one keeps publishing "online" with the same model.
 */
public final class MqttStatusVerifier implements Verifier {
    private final Broker broker;
    private final String topic;
    private final LinkedBlockingQueue<String> statuses = new LinkedBlockingQueue<>();
    private final RunsSeen seen = new RunsSeen();
    private MqttSubscription subscription;

    public MqttStatusVerifier(Broker broker, String topicPrefix, String deviceId) {
        this.broker = broker;
        this.topic = topicPrefix + "/" + deviceId + "/status";
    }

    public String topic() {
        return topic;
    }

    @Override
    public void arm() {
        try {
            subscription = new MqttSubscription(broker, (t, payload) -> statuses.add(payload), topic);
        } catch (EdgemlException e) {
            throw new EdgemlException("cannot watch " + topic + " on " + broker.url() + " (" + e.getMessage()
                    + "); check --verify-broker, or use --verify health", e);
        }
    }

    @Override
    public void beforeRestart() {
        List<String> heard = new ArrayList<>();
        statuses.drainTo(heard);
        heard.forEach(text -> seen.add(HealthReport.parse(text)));
    }

    @Override
    public String await(String modelId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String text = left <= 0 ? null : statuses.poll(left, TimeUnit.NANOSECONDS);
                if (text == null) {
                    return "no online status with model " + modelId + " from a new process on " + topic + " within "
                            + timeout.toSeconds() + " s" + (last == null ? "" : " (last: " + last + ")");
                }
                HealthReport report = HealthReport.parse(text);
                RunsSeen.Verdict verdict = seen.judge(report, modelId);
                if (verdict.decided()) {
                    return verdict.problem();
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
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
