package org.edgeml.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A synchronous Paho client for broker tests that queues what it receives. */
final class TestClient implements AutoCloseable {
    record Received(String topic, String payload, int qos, boolean retained) {}

    private final MqttClient client;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private MqttConnectOptions options;

    private TestClient(String url, String clientId) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                queue.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(),
                        m.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    }

    static TestClient connect(String url, String clientId, boolean cleanSession) throws MqttException {
        TestClient c = new TestClient(url, clientId);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setConnectionTimeout(10);
        c.options = o;
        c.client.connect(o);
        return c;
    }

    /**
     * Subscribes; a connection the broker dropped at the subscribe is made again once. Moquette 0.17 answers
     * CONNECT before its session leaves the connecting state, and now and then closes the connection on a
     * SUBSCRIBE that follows at once ("SUBSCRIBE received on already closed connection"): a broker race that
     * Paho clients with automatic reconnect (the runtime's) ride out, and that this synchronous client must too.
     */
    TestClient subscribe(String filter, int qos) throws MqttException {
        try {
            client.subscribe(filter, qos);
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST || client.isConnected()) {
                throw e;
            }
            client.connect(options);
            client.subscribe(filter, qos);
        }
        return this;
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter);
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    /** The next message, or null after ten seconds. */
    Received poll() throws InterruptedException {
        return queue.poll(10, TimeUnit.SECONDS);
    }

    void disconnect() throws MqttException {
        client.disconnect(5_000);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(5_000);
        }
        client.close(true);
    }
}
