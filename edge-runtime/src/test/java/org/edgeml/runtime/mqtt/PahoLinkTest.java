package org.edgeml.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PahoLink against a real mosquitto on a loopback port. */
class PahoLinkTest {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    MosquittoBroker broker;

    @BeforeEach
    void startBroker() throws Exception {
        broker = MosquittoBroker.start(tmp);
    }

    @AfterEach
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    static DeviceIdentity identity(String device) {
        return new DeviceIdentity(device, "fmnist-784-128-10", "0.1.0", "boot-1", Instant.parse("2026-11-22T00:00:00Z"));
    }

    static String prediction(DeviceIdentity id, long seq) {
        return Messages.prediction(id, seq, Instant.now(), new org.edgeml.core.engine.Prediction(3, "Dress", 0.9,
                List.of(new org.edgeml.core.engine.Prediction.Ranked(3, "Dress", 0.9))), 42, "idx#" + seq, -1, null);
    }

    private PahoLink link(MqttSettings settings, String device) throws InterruptedException {
        PahoLink link = new PahoLink(settings, new Topics("edgeml", device), identity(device),
                () -> new StatusCounters(0, 0, 0, 0, "running", 7, 0, Double.NaN, StatusCounters.SourceLosses.NONE));
        link.start();
        assertTrue(link.awaitConnected(WAIT), "not connected: " + link.lastError());
        return link;
    }

    @Test
    void aSubscriberReceivesEveryPredictionInOrder() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Subscriber sub = new Subscriber(broker.url(), "sub", false, "edgeml/d1/prediction");
                    PahoLink link = link(MqttSettings.plain(broker.url(), "edgeml-d1"), "d1")) {
                for (int i = 0; i < 300; i++) {
                    link.publishPrediction(prediction(identity("d1"), i));
                }
                for (int i = 0; i < 300; i++) {
                    Subscriber.Received r = sub.poll(WAIT);
                    assertNotNull(r, "message " + i + " missing");
                    assertEquals((long) i, Json.parseObject(r.payload()).get("seq"));
                }
                assertEquals(0, link.dropped());
            }
        });
    }

    @Test
    void theStatusIsRetainedOnlineAndOfflineAfterClose() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            PahoLink link = link(MqttSettings.plain(broker.url(), "edgeml-d2"), "d2");
            try (Subscriber sub = new Subscriber(broker.url(), "sub", false, "edgeml/d2/status")) {
                Subscriber.Received r = sub.poll(WAIT);
                assertTrue(r.retained());
                Map<String, Object> status = Json.parseObject(r.payload());
                assertEquals("online", status.get("state"));
                assertEquals("fmnist-784-128-10", status.get("model"));
                assertEquals("0.1.0", status.get("version"));
                assertEquals("2026-11-22T00:00:00.000Z", status.get("started"));
                assertEquals(7L, status.get("camera_restarts"));
                assertEquals(0L, status.get("dropped"));
                link.close();
                assertEquals("offline", Json.parseObject(sub.poll(WAIT).payload()).get("state"));
            }
        });
    }

    @Test
    void theBrokerPublishesOfflineWhenTheProcessIsKilled() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LinkChild.class.getName(), broker.url(), "d3")
                    .redirectErrorStream(true).start();
            try (Subscriber sub = new Subscriber(broker.url(), "sub", false, "edgeml/d3/status")) {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = out.readLine()) != null && !line.equals("connected"); ) {
                    assertTrue(!line.startsWith("failed"), line);
                }
                assertEquals("online", Json.parseObject(sub.poll(WAIT).payload()).get("state"));
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                Subscriber.Received r = sub.poll(WAIT);
                assertNotNull(r, "no last will");
                assertEquals("offline", Json.parseObject(r.payload()).get("state"));
            } finally {
                child.destroyForcibly();
            }
            try (Subscriber late = new Subscriber(broker.url(), "late", false, "edgeml/d3/status")) {
                Subscriber.Received r = late.poll(WAIT);
                assertTrue(r.retained());
                assertEquals("offline", Json.parseObject(r.payload()).get("state"));
            }
        });
    }

    @Test
    void discoveryIsResentWhenHomeAssistantComesOnlineAndHostileMessagesAreIgnored() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            String topic = "homeassistant/sensor/d4_prediction/config";
            try (PahoLink link = link(MqttSettings.plain(broker.url(), "edgeml-d4"), "d4");
                    Subscriber sub = new Subscriber(broker.url(), "ha", false, topic)) {
                Subscriber.Received first = sub.poll(WAIT);
                assertTrue(first.retained());
                Map<String, Object> config = Json.parseObject(first.payload());
                assertEquals("edgeml/d4/prediction", config.get("state_topic"));
                assertEquals("edgeml_d4_prediction", config.get("unique_id"));
                for (byte[] hostile : List.of("x".repeat(100_000).getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}, new byte[0], "{\"state\":\"online\"}".getBytes(),
                        "offline".getBytes())) {
                    sub.publish(Topics.HA_STATUS, hostile, false);
                }
                sub.publish(Topics.HA_STATUS, "online".getBytes(), false);
                Subscriber.Received again = sub.poll(WAIT);
                assertNotNull(again, "discovery not re-sent");
                assertEquals(first.payload(), again.payload());
                assertNull(sub.poll(Duration.ofMillis(500)), "a hostile message triggered discovery");
                assertTrue(link.isConnected());
            }
        });
    }

    @Test
    void noDiscoveryWhenTurnedOff() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (PahoLink link = link(MqttSettings.plain(broker.url(), "edgeml-d5").withDiscovery(false), "d5");
                    Subscriber sub = new Subscriber(broker.url(), "ha", false, "homeassistant/#")) {
                sub.publish(Topics.HA_STATUS, "online".getBytes(), false);
                Subscriber.Received r = sub.poll(WAIT);
                assertEquals(Topics.HA_STATUS, r.topic());
                assertNull(sub.poll(Duration.ofMillis(500)));
            }
        });
    }

    @Test
    void theOfflineBufferKeepsTheNewestAndCountsTheDropped() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Subscriber sub = new Subscriber(broker.url(), "persistent-sub", true, "edgeml/d6/prediction");
                    // Without discovery: another test leaves a retained "online" on homeassistant/status, which
                    // would make this link re-send discovery into the offline buffer at a random moment.
                    PahoLink link = link(MqttSettings.plain(broker.url(), "edgeml-d6").withOfflineBuffer(50)
                            .withDiscovery(false), "d6");
                    Subscriber status = new Subscriber(broker.url(), "d6-status", false, "edgeml/d6/status")) {
                // The status sent on connecting must be delivered first, or it would take a place in the buffer.
                assertNotNull(status.poll(WAIT));
                Thread.sleep(300); // its acknowledgement
                broker.stop();
                while (link.isConnected()) {
                    Thread.sleep(20);
                }
                for (int i = 0; i < 120; i++) {
                    link.publishPrediction(prediction(identity("d6"), i));
                }
                // 120 into 50 places: at least the 70 oldest are dropped and counted (a status message the link
                // sends on its own may take a place too).
                long dropped = link.dropped();
                assertTrue(dropped >= 70 && dropped <= 72, "dropped " + dropped);
                broker.start();
                Subscriber.Received r = sub.poll(Duration.ofSeconds(30));
                assertNotNull(r, "the buffered messages arrive after the restart");
                long first = (Long) Json.parseObject(r.payload()).get("seq");
                // On reconnecting, the link's online status waits until the buffer is flushed, so it pushes no
                // prediction out; the count is read now all the same.
                assertTrue(first >= 70 && first <= link.dropped(),
                        "the oldest were dropped and counted, the newest kept: first " + first + ", dropped " + link.dropped());
                for (long i = first + 1; i < 120; i++) {
                    r = sub.poll(Duration.ofSeconds(30));
                    assertNotNull(r, "message " + i + " missing");
                    assertEquals(i, Json.parseObject(r.payload()).get("seq"));
                }
                assertNull(sub.poll(Duration.ofMillis(300)));
            }
        });
    }

    /**
     * A status asked for while the offline buffer is full waits until the link is back and the buffer flushed:
     * it takes no buffered prediction's place, and the status that arrives reports exactly what the subscriber
     * misses (here nothing).
     */
    @Test
    void aStatusNeverTakesABufferedPredictionsPlace() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Subscriber predictions = new Subscriber(broker.url(), "d8-sub", true, "edgeml/d8/prediction");
                    Subscriber status = new Subscriber(broker.url(), "d8-status", true, "edgeml/d8/status");
                    PahoLink link = link(MqttSettings.plain(broker.url(), "edgeml-d8").withOfflineBuffer(5)
                            .withDiscovery(false), "d8")) {
                assertEquals(0L, Json.parseObject(status.poll(WAIT).payload()).get("dropped"));
                Thread.sleep(300); // its acknowledgement
                broker.stop();
                while (link.isConnected()) {
                    Thread.sleep(20);
                }
                for (int i = 1; i <= 5; i++) {
                    link.publishPrediction(prediction(identity("d8"), i));
                }
                link.publishStatus(); // a sixth message would push prediction 1 out of the 5 places
                assertEquals(0, link.dropped(), "5 predictions fill 5 places, and the status waits");
                broker.start();
                List<Long> seqs = new java.util.ArrayList<>();
                Subscriber.Received r;
                while ((r = predictions.poll(Duration.ofSeconds(seqs.isEmpty() ? 30 : 2))) != null) {
                    seqs.add((Long) Json.parseObject(r.payload()).get("seq"));
                }
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs);
                // (mosquitto may deliver the link's last will, "offline", when it stops: only online counts)
                List<Long> reported = new java.util.ArrayList<>();
                while ((r = status.poll(Duration.ofSeconds(2))) != null) {
                    Map<String, Object> m = Json.parseObject(r.payload());
                    if ("online".equals(m.get("state"))) {
                        reported.add((Long) m.get("dropped"));
                    }
                }
                assertTrue(!reported.isEmpty(), "a status after the reconnect");
                assertEquals(0L, reported.get(reported.size() - 1));
                assertEquals(0, link.dropped());
            }
        });
    }

    @Test
    void theFirstConnectIsRetriedUntilTheBrokerIsUp() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            broker.stop();
            PahoLink link = new PahoLink(MqttSettings.plain(broker.url(), "edgeml-d7"), new Topics("edgeml", "d7"),
                    identity("d7"), StatusCounters::none);
            try (link) {
                link.start();
                link.publishPrediction(prediction(identity("d7"), 0));
                while (link.lastError().isEmpty()) {
                    Thread.sleep(20);
                }
                assertTrue(link.lastError().contains("nable to connect") || link.lastError().contains("refused"),
                        link.lastError());
                broker.start();
                assertTrue(link.awaitConnected(Duration.ofSeconds(30)), link.lastError());
                try (Subscriber sub = new Subscriber(broker.url(), "s7", false, "edgeml/d7/status")) {
                    assertEquals("online", Json.parseObject(sub.poll(WAIT).payload()).get("state"));
                }
            }
        });
    }
}
