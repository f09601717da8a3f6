package org.edgeml.deploy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.edgeml.core.EdgemlException;
import org.edgeml.mqtt.Broker;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT side of verification against a real mosquitto; a Paho client plays the device. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttStatusVerifierTest {
    @TempDir
    Path tmp;

    private static void publish(MqttClient device, String json) throws Exception {
        MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(true);
        device.publish("edgeml/kitchen/status", m);
    }

    private static MqttClient device(String url, MqttConnectOptions options) throws Exception {
        MqttClient device = new MqttClient(url, "device", new MemoryPersistence());
        device.connect(options);
        return device;
    }

    private static MqttStatusVerifier verifier(String url) {
        return new MqttStatusVerifier(Broker.plain(url), "edgeml", "kitchen");
    }

    /** Lets the broker deliver what was published so far (the retained status, or an old process's message). */
    private static void settle() throws InterruptedException {
        Thread.sleep(500);
    }

    /** What the deploy does: subscribe, upload (here: let what the old process said arrive), then restart. */
    private static void armThenRestart(MqttStatusVerifier verifier) throws InterruptedException {
        verifier.arm();
        settle();
        verifier.beforeRestart();
    }

    @Test
    void onlyANewProcessCounts() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(tmp)) {
            MqttClient device = device(broker.url(), new MqttConnectOptions());
            // What the old process left behind, even with the same model, is not proof the new one is up.
            publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"old1\"}");
            try (MqttStatusVerifier verifier = verifier(broker.url())) {
                armThenRestart(verifier);
                String problem = verifier.await("abc", Duration.ofSeconds(2));
                assertTrue(problem.startsWith("no online status with model abc from a new process on edgeml/kitchen/status"), problem);
            }
            try (MqttStatusVerifier verifier = verifier(broker.url())) {
                armThenRestart(verifier);
                publish(device, "{\"state\":\"offline\",\"model\":\"abc\",\"boot\":\"old1\"}");
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"version\":\"0.1.0\",\"boot\":\"new2\"}");
                assertNull(verifier.await("abc", Duration.ofSeconds(20)));
            }
            try (MqttStatusVerifier verifier = verifier(broker.url())) {
                armThenRestart(verifier);
                publish(device, "{\"state\":\"error\",\"model\":\"def\",\"boot\":\"new3\",\"error\":\"golden vector 3 differs\"}");
                assertEquals("the runtime reported state error, model def, boot new3, error: golden vector 3 differs",
                        verifier.await("def", Duration.ofSeconds(20)));
            }
            device.disconnect();
            device.close();
        }
    }

    @Test
    void theOldProcessStillPublishingOnlineWithTheSameModelIsNotTheNewOne() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(tmp)) {
            MqttClient device = device(broker.url(), new MqttConnectOptions());
            publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"old1\"}");
            try (MqttStatusVerifier verifier = verifier(broker.url())) {
                verifier.arm();
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"old1\"}");
                settle();
                verifier.beforeRestart();
                // The restart never started a new process; the old one keeps publishing live statuses.
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"old1\"}");
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"old1\",\"dropped\":0}");
                String problem = verifier.await("abc", Duration.ofSeconds(3));
                assertTrue(problem != null && problem.contains("(last: state online, model abc, boot old1)"), problem);
                // A status naming no process at all proves nothing either.
                publish(device, "{\"state\":\"online\",\"model\":\"abc\"}");
                assertTrue(verifier.await("abc", Duration.ofSeconds(3)) != null);
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"new2\"}");
                assertNull(verifier.await("abc", Duration.ofSeconds(20)));
            }
            device.disconnect();
            device.close();
        }
    }

    @Test
    void aRollbackCountsOnlyAProcessNewerThanTheFailedOne() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(tmp)) {
            MqttClient device = device(broker.url(), new MqttConnectOptions());
            publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"old1\"}");
            try (MqttStatusVerifier verifier = verifier(broker.url())) {
                armThenRestart(verifier);
                publish(device, "{\"state\":\"online\",\"model\":\"bad\",\"boot\":\"new2\"}");
                assertNull(verifier.await("bad", Duration.ofSeconds(20)));
                settle();
                verifier.beforeRestart();
                // Switched back to abc: the old process (old1) says nothing about whether abc came up again.
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"old1\"}");
                assertTrue(verifier.await("abc", Duration.ofSeconds(3)) != null);
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"back3\"}");
                assertNull(verifier.await("abc", Duration.ofSeconds(20)));
            }
            device.disconnect();
            device.close();
        }
    }

    @Test
    void connectsWithTheDevicesTlsSettings() throws Exception {
        Pki pki = Pki.make(tmp);
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(tmp.resolve("mqtt")), List.of(
                "allow_anonymous true", "cafile " + pki.ca(), "certfile " + pki.serverCert(), "keyfile " + pki.serverKey(),
                "require_certificate true"))) {
            String url = "ssl://127.0.0.1:" + broker.port();
            Broker tls = new Broker(url, null, null, pki.ca(), pki.clientCert(), pki.clientKey());
            MqttClient device = device(url, tls.applyTo(new MqttConnectOptions()));
            try (MqttStatusVerifier verifier = new MqttStatusVerifier(tls, "edgeml", "kitchen")) {
                armThenRestart(verifier);
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"boot\":\"b1\"}");
                assertNull(verifier.await("abc", Duration.ofSeconds(20)));
            }
            // Without the client certificate the broker refuses us: the verifier says so before anything changes.
            MqttStatusVerifier noCert = new MqttStatusVerifier(new Broker(url, null, null, pki.ca(), null, null), "edgeml", "kitchen");
            EdgemlException e = assertThrows(EdgemlException.class, noCert::arm);
            assertTrue(e.getMessage().startsWith("cannot watch edgeml/kitchen/status on " + url + " ("), e.getMessage());
            device.disconnect();
            device.close();
        }
    }

    @Test
    void anUnreachableBrokerIsAClearErrorBeforeAnythingChanges() {
        MqttStatusVerifier verifier = verifier("tcp://127.0.0.1:1");
        EdgemlException e = assertThrows(EdgemlException.class, verifier::arm);
        assertTrue(e.getMessage().startsWith("cannot watch edgeml/kitchen/status on tcp://127.0.0.1:1"), e.getMessage());
    }
}
