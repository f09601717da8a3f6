package org.edgeml.runtime.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An independent MQTT client for tests: subscribes and queues what arrives. */
public final class Subscriber implements AutoCloseable {
    /** @param bytes the payload as sent (images) */
    public record Received(String topic, String payload, boolean retained, byte[] bytes) {}

    private final MqttAsyncClient client;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();

    /** @param persistent clean session off with this client id, so a broker restart keeps the subscription */
    public Subscriber(String url, String clientId, boolean persistent, String... topics) throws MqttException {
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                queue.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.isRetained(), message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistent);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1000);
        o.setMaxInflight(1000);
        client.connect(o).waitForCompletion(10_000);
        for (String t : topics) {
            client.subscribe(t, 1).waitForCompletion(10_000);
        }
    }

    /** The next message, or null after the timeout. */
    public Received poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        client.publish(topic, payload, 1, retained).waitForCompletion(10_000);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5000);
        }
        client.close(true);
    }
}
