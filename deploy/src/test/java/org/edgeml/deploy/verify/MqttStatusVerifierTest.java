package org.edgeml.deploy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.edgeml.core.EdgemlException;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT side of verification against a real mosquitto; a Paho client plays the device. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttStatusVerifierTest {
    @TempDir
    Path tmp;

    private static void publish(MqttClient device, String json) throws Exception {
        MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(true);
        device.publish("edgeml/kitchen/status", m);
    }

    @Test
    void onlyAStatusPublishedAfterArmingCounts() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(tmp)) {
            MqttClient device = new MqttClient(broker.url(), "device", new MemoryPersistence());
            device.connect();
            // What the old process left behind, even with the same model, is not proof the new one is up.
            publish(device, "{\"state\":\"online\",\"model\":\"abc\"}");
            try (MqttStatusVerifier verifier = new MqttStatusVerifier(broker.url(), "edgeml", "kitchen", null, null)) {
                verifier.arm();
                String problem = verifier.await("abc", Duration.ofSeconds(2));
                assertTrue(problem.startsWith("no online status with model abc on edgeml/kitchen/status"), problem);
            }
            try (MqttStatusVerifier verifier = new MqttStatusVerifier(broker.url(), "edgeml", "kitchen", null, null)) {
                verifier.arm();
                publish(device, "{\"state\":\"offline\",\"model\":\"abc\"}");
                publish(device, "{\"state\":\"online\",\"model\":\"abc\",\"version\":\"0.1.0\"}");
                assertNull(verifier.await("abc", Duration.ofSeconds(20)));
            }
            try (MqttStatusVerifier verifier = new MqttStatusVerifier(broker.url(), "edgeml", "kitchen", null, null)) {
                verifier.arm();
                publish(device, "{\"state\":\"error\",\"model\":\"def\",\"error\":\"golden vector 3 differs\"}");
                assertEquals("the runtime reported state error, model def, error: golden vector 3 differs",
                        verifier.await("def", Duration.ofSeconds(20)));
            }
            device.disconnect();
            device.close();
        }
    }

    @Test
    void anUnreachableBrokerIsAClearErrorBeforeAnythingChanges() {
        MqttStatusVerifier verifier = new MqttStatusVerifier("tcp://127.0.0.1:1", "edgeml", "kitchen", null, null);
        EdgemlException e = assertThrows(EdgemlException.class, verifier::arm);
        assertTrue(e.getMessage().startsWith("cannot watch edgeml/kitchen/status on tcp://127.0.0.1:1"), e.getMessage());
    }
}
