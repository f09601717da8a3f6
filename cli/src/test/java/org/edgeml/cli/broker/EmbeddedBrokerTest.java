package org.edgeml.cli.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded broker against Eclipse Paho clients and hand-made bytes. */
class EmbeddedBrokerTest {
    private EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(0);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private TestClient client(String id) throws Exception {
        return TestClient.connect(broker.url(), id, true);
    }

    @Test
    void listensOnLoopbackAtTheUrlItReports() {
        assertTrue(broker.port() > 0);
        assertEquals("tcp://127.0.0.1:" + broker.port(), broker.url());
        assertEquals("embedded broker on port " + broker.port(), broker.description());
    }

    @Test
    void logsOneLinePerConnectionEvent() throws Exception {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        try (EmbeddedBroker logging = EmbeddedBroker.start(0, new java.io.PrintStream(log, true))) {
            TestClient c = TestClient.connect(logging.url(), "chatty", true);
            c.close();
        }
        assertTrue(log.toString().contains("broker: listening on tcp://127.0.0.1:"), log.toString());
        assertTrue(log.toString().contains("broker: client chatty connected"), log.toString());
    }

    @Test
    void routesQos0And1ThroughWildcardsAtTheLowerOfTheTwoQos() throws Exception {
        try (TestClient sub = client("sub").subscribe("home/+/temp", 1).subscribe("office/#", 0);
                TestClient pub = client("pub")) {
            pub.publish("home/kitchen/temp", "21.5", 1, false);
            pub.publish("home/kitchen/humidity", "40", 1, false); // no match
            pub.publish("home/kitchen/temp/raw", "x", 1, false); // '+' is one level
            pub.publish("office/desk/lamp", "on", 1, false);
            pub.publish("office", "parent level", 0, false); // '#' includes the parent
            pub.publish("home/hall/temp", "19", 0, false);

            List<TestClient.Received> expected = List.of(
                    new TestClient.Received("home/kitchen/temp", "21.5", 1, false),
                    new TestClient.Received("office/desk/lamp", "on", 0, false),
                    new TestClient.Received("office", "parent level", 0, false),
                    new TestClient.Received("home/hall/temp", "19", 0, false));
            for (TestClient.Received e : expected) {
                assertEquals(e, sub.poll());
            }
        }
    }

    @Test
    void unsubscribedFiltersStopDelivering() throws Exception {
        try (TestClient sub = client("sub").subscribe("a/#", 1).subscribe("b/#", 1); TestClient pub = client("pub")) {
            sub.unsubscribe("a/#");
            pub.publish("a/1", "gone", 1, false);
            pub.publish("b/1", "kept", 1, false);
            assertEquals("kept", sub.poll().payload());
        }
    }

    @Test
    void aThousandQos1MessagesArriveInOrder() throws Exception {
        int n = 1000;
        try (TestClient sub = client("sub").subscribe("seq/#", 1)) {
            MqttAsyncClient pub = new MqttAsyncClient(broker.url(), "burst", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMaxInflight(n);
            pub.connect(o).waitForCompletion(10_000);
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tokens.add(pub.publish("seq/" + (i % 7), Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false));
            }
            for (IMqttDeliveryToken t : tokens) {
                t.waitForCompletion(10_000);
            }
            for (int i = 0; i < n; i++) {
                TestClient.Received r = sub.poll();
                assertNotNull(r, "received only " + i);
                assertEquals(Integer.toString(i), r.payload());
                assertEquals(1, r.qos());
            }
            pub.disconnect().waitForCompletion(5_000);
            pub.close();
        }
    }

    @Test
    void retainedMessagesReachLateSubscribersUntilClearedByAnEmptyPayload() throws Exception {
        try (TestClient pub = client("pub")) {
            pub.publish("r/status", "online", 1, true);
            try (TestClient late = client("late").subscribe("r/+", 1)) {
                assertEquals(new TestClient.Received("r/status", "online", 1, true), late.poll());
                pub.publish("r/status", "live", 1, true);
                assertEquals(new TestClient.Received("r/status", "live", 1, false), late.poll(),
                        "current subscribers get it without the retain flag");
            }
            pub.publish("r/status", "", 1, true);
            try (TestClient later = client("later").subscribe("r/#", 1)) {
                pub.publish("r/marker", "after", 1, false);
                assertEquals("r/marker", later.poll().topic(), "nothing retained any more");
            }
        }
    }

    @Test
    void qos2PublicationsAreDeliveredOnceAtQos1() throws Exception {
        try (TestClient sub = client("sub").subscribe("q2", 2); TestClient pub = client("pub")) {
            pub.publish("q2", "exactly once", 2, false);
            pub.publish("q2", "marker", 1, false);
            assertEquals(new TestClient.Received("q2", "exactly once", 1, false), sub.poll());
            assertEquals("marker", sub.poll().payload());
        }
    }

    @Test
    void theWillIsPublishedAndRetainedWhenAClientDisappearsWithoutDisconnect() throws Exception {
        try (TestClient watcher = client("watcher").subscribe("dev/+/status", 1)) {
            RawMqtt raw = new RawMqtt(broker.port());
            raw.send(RawMqtt.connectWithWill("dev1", 60, "dev/1/status", "offline", true));
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, raw.read(4));
            raw.close(); // no DISCONNECT
            assertEquals(new TestClient.Received("dev/1/status", "offline", 1, false), watcher.poll());
        }
        try (TestClient late = client("late").subscribe("dev/1/status", 1)) {
            assertEquals(new TestClient.Received("dev/1/status", "offline", 1, true), late.poll());
        }
    }

    @Test
    void noWillAfterAGracefulDisconnect() throws Exception {
        try (TestClient watcher = client("watcher").subscribe("dev/#", 1); TestClient pub = client("pub")) {
            try (RawMqtt raw = new RawMqtt(broker.port())) {
                raw.send(RawMqtt.connectWithWill("dev2", 60, "dev/2/status", "offline", false));
                assertArrayEquals(new byte[] {0x20, 2, 0, 0}, raw.read(4));
                raw.send(new byte[] {(byte) 0xE0, 0});
                assertTrue(raw.closedByBroker());
            }
            pub.publish("dev/marker", "after", 1, false);
            assertEquals("dev/marker", watcher.poll().topic());
        }
    }

    @Test
    void aClientSilentForLongerThanItsKeepAliveIsDroppedAndItsWillSent() throws Exception {
        try (TestClient watcher = client("watcher").subscribe("dev/3/status", 1);
                RawMqtt raw = new RawMqtt(broker.port())) {
            raw.send(RawMqtt.connectWithWill("dev3", 1, "dev/3/status", "timed out", false));
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, raw.read(4));
            assertEquals("timed out", watcher.poll().payload());
            assertTrue(raw.closedByBroker());
        }
    }

    @Test
    void aPersistentSessionKeepsQos1MessagesWhileItsClientIsAway() throws Exception {
        try (TestClient pub = client("pub")) {
            TestClient sub = TestClient.connect(broker.url(), "sleeper", false).subscribe("p/#", 1);
            sub.disconnect();
            sub.close();
            for (int i = 0; i < 20; i++) {
                pub.publish("p/" + i, "m" + i, 1, false);
            }
            pub.publish("p/qos0", "not kept", 0, false);
            try (TestClient back = TestClient.connect(broker.url(), "sleeper", false)) {
                for (int i = 0; i < 20; i++) {
                    assertEquals(new TestClient.Received("p/" + i, "m" + i, 1, false), back.poll());
                }
                pub.publish("p/live", "still subscribed", 1, false);
                assertEquals("still subscribed", back.poll().payload());
            }
        }
    }

    @Test
    void aCleanSessionForgetsWhatAPersistentOneHad() throws Exception {
        TestClient first = TestClient.connect(broker.url(), "forgetful", false).subscribe("f/#", 1);
        first.disconnect();
        first.close();
        try (TestClient pub = client("pub"); TestClient clean = TestClient.connect(broker.url(), "forgetful", true)) {
            clean.subscribe("g", 1);
            pub.publish("f/1", "old subscription", 1, false);
            pub.publish("g", "new subscription", 1, false);
            assertEquals("new subscription", clean.poll().payload());
        }
    }

    @Test
    void malformedBytesCloseThatConnectionOnly() throws Exception {
        byte[] connect = RawMqtt.connectWithWill("bad", 60, "bad/status", "gone", false);
        List<byte[]> garbage = List.of(
                new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01},
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, // CONNECT of 2 MiB
                new byte[] {0x10, 4, 0, 10, 'M', 'Q'}, // strings longer than the packet
                new byte[] {0x30, 3, 0, 1, '#'}); // PUBLISH before CONNECT
        for (byte[] g : garbage) {
            try (RawMqtt raw = new RawMqtt(broker.port())) {
                raw.send(g);
                assertTrue(raw.closedByBroker());
            }
        }
        try (RawMqtt raw = new RawMqtt(broker.port())) {
            raw.send(connect);
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, raw.read(4));
            raw.send(new byte[] {0x32, 6, 0, 2, 'a', '+', 0, 1}); // wildcard in a topic name
            assertTrue(raw.closedByBroker());
        }
        try (TestClient sub = client("sub").subscribe("ok", 1); TestClient pub = client("pub")) {
            pub.publish("ok", "still working", 1, false);
            assertEquals("still working", sub.poll().payload());
        }
    }

    @Test
    void aClientIdConnectingAgainTakesTheSessionOver() throws Exception {
        try (TestClient watcher = client("watcher").subscribe("t/status", 1);
                RawMqtt first = new RawMqtt(broker.port())) {
            first.send(RawMqtt.connectWithWill("twin", 60, "t/status", "first gone", false));
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, first.read(4));
            try (TestClient second = client("twin").subscribe("t/x", 1)) {
                assertTrue(first.closedByBroker());
                assertEquals("first gone", watcher.poll().payload());
                second.publish("t/x", "second works", 1, false);
                assertEquals("second works", second.poll().payload());
            }
        }
    }

    @Test
    void closingTheBrokerClosesItsPort() throws Exception {
        int port = broker.port();
        broker.close();
        assertFalse(accepts(port));
    }

    static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
