package org.edgeml.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's embedded broker as MQTT 3.1.1 clients see it: Paho, and mosquitto's own command-line clients. */
class MoquetteBrokerTest {
    private MoquetteBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = MoquetteBroker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void listensOnLoopbackAtAFreePortItReports() {
        assertTrue(broker.port() > 0);
        assertEquals("tcp://127.0.0.1:" + broker.port(), broker.url());
        assertTrue(BrokerForDemoTest.accepts(broker.port()));
    }

    /** The demo's output is its results, not a line per MQTT packet; the broker's warnings still show. */
    @Test
    void packetsAreNotLoggedOneByOne() throws Exception {
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLoggerName() != null && r.getLoggerName().startsWith("io.moquette")
                        && java.util.logging.Logger.getLogger(r.getLoggerName()).isLoggable(r.getLevel())) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        try (TestClient sub = TestClient.connect(broker.url(), "quiet-sub", true).subscribe("edgeml/+/prediction", 1);
                TestClient pub = TestClient.connect(broker.url(), "quiet-pub", true)) {
            for (int i = 0; i < 20; i++) {
                pub.publish("edgeml/pi/prediction", Integer.toString(i), 1, false);
            }
            for (int i = 0; i < 20; i++) {
                sub.poll();
            }
        } finally {
            root.removeHandler(handler);
        }
        assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() < java.util.logging.Level.WARNING.intValue()),
                records.size() + " routine records, e.g. " + (records.isEmpty() ? "" : records.get(0).getMessage()));
        assertTrue(java.util.logging.Logger.getLogger("io.moquette").isLoggable(java.util.logging.Level.WARNING));
    }

    @Test
    void routesQos1ThroughWildcardsInOrder() throws Exception {
        try (TestClient sub = TestClient.connect(broker.url(), "sub", true).subscribe("edgeml/+/prediction", 1);
                TestClient pub = TestClient.connect(broker.url(), "pub", true)) {
            for (int i = 0; i < 200; i++) {
                pub.publish("edgeml/pi" + (i % 3) + "/prediction", Integer.toString(i), 1, false);
            }
            pub.publish("edgeml/pi0/status", "not matched", 1, false);
            for (int i = 0; i < 200; i++) {
                TestClient.Received r = sub.poll();
                assertEquals(Integer.toString(i), r.payload());
                assertEquals("edgeml/pi" + (i % 3) + "/prediction", r.topic());
                assertEquals(1, r.qos());
            }
        }
    }

    @Test
    void retainedMessagesReachLateSubscribersUntilClearedByAnEmptyPayload() throws Exception {
        try (TestClient pub = TestClient.connect(broker.url(), "pub", true)) {
            pub.publish("edgeml/pi/status", "online", 1, true);
            // at QoS 0: Moquette 0.17 clears the retain flag on retained messages it delivers at QoS 1
            try (TestClient late = TestClient.connect(broker.url(), "late", true).subscribe("edgeml/#", 0)) {
                TestClient.Received r = late.poll();
                assertEquals("online", r.payload());
                assertTrue(r.retained());
            }
            pub.publish("edgeml/pi/status", "", 1, true);
            try (TestClient later = TestClient.connect(broker.url(), "later", true).subscribe("edgeml/#", 1)) {
                pub.publish("edgeml/pi/marker", "after", 1, false);
                assertEquals("after", later.poll().payload(), "the retained message was cleared");
            }
        }
    }

    @Test
    void closingTheBrokerClosesItsPort() {
        int port = broker.port();
        broker.close();
        assertFalse(BrokerForDemoTest.accepts(port));
    }

    @Test
    void mosquittosClientsPublishAndReceiveRetainedMessagesAtQos1() throws Exception {
        assumeMosquittoClients();
        String port = Integer.toString(broker.port());
        // no -i: mosquitto_pub connects with an empty client id
        assertEquals(0, run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-r",
                "-t", "edgeml/pi/status", "-m", "online")).exitCode);
        Result sub = run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-v",
                "-t", "edgeml/#", "-C", "1", "-W", "10"));
        assertEquals(0, sub.exitCode, sub.output);
        assertEquals("edgeml/pi/status online", sub.output.strip());

        try (TestClient paho = TestClient.connect(broker.url(), "paho", true).subscribe("edgeml/pi/prediction", 1)) {
            assertEquals(0, run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1",
                    "-t", "edgeml/pi/prediction", "-m", "{\"class\":3}")).exitCode);
            TestClient.Received r = paho.poll();
            assertEquals("{\"class\":3}", r.payload());
            assertEquals(1, r.qos());
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command.get(0) + " did not finish");
        return new Result(p.exitValue(), output);
    }

    private static void assumeMosquittoClients() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/mosquitto_sub"))
                && Files.isExecutable(Path.of("/usr/bin/mosquitto_pub"));
        if (Boolean.getBoolean("edgeml.requireServices")) {
            Assertions.assertTrue(present, "mosquitto_sub/pub are missing: apt-get install -y mosquitto-clients");
        } else {
            Assumptions.assumeTrue(present, "mosquitto-clients is not installed; skipping");
        }
    }
}
