package org.edgeml.host.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.edgeml.core.EdgemlException;
import org.edgeml.mqtt.Broker;
import org.edgeml.mqtt.MqttErrors;

/**
 * A host-side MQTT subscriber (for {@code edgeml watch}, the demo and deploy verification): connects with
 * the same authentication and TLS options as the runtime, subscribes to topic filters, re-subscribes
 * after reconnecting, and hands each message to a callback on Paho's thread. It can also publish the odd
 * command (such as a device's snapshot request from {@code watch --http}).
 */
public final class MqttSubscription implements AutoCloseable {
    private final MqttClient client;
    private final String[] filters;

    /**
     * Connects and subscribes (QoS 1); {@code onMessage} receives the topic and the UTF-8 payload.
     *
     * @throws EdgemlException when the broker cannot be reached or refuses us, with the reason
     */
    public MqttSubscription(Broker broker, BiConsumer<String, String> onMessage, String... filters) {
        this((topic, payload) -> onMessage.accept(topic, new String(payload, StandardCharsets.UTF_8)), broker, filters);
    }

    /** As {@link #MqttSubscription(Broker, BiConsumer, String...)}, with the payload's bytes as they came. */
    public static MqttSubscription ofBytes(Broker broker, BinaryListener onMessage, String... filters) {
        return new MqttSubscription(onMessage, broker, filters);
    }

    /** Receives a message's topic and its payload as sent (images, for example). */
    @FunctionalInterface
    public interface BinaryListener {
        void accept(String topic, byte[] payload);
    }

    private MqttSubscription(BinaryListener onMessage, Broker broker, String[] filters) {
        this.filters = filters.clone();
        try {
            String id = "edgeml-watch-" + HexFormat.of().formatHex(randomBytes());
            client = new MqttClient(broker.url(), id, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new EdgemlException("broker: cannot use " + broker.url() + " (" + e.getMessage() + ")", e);
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        broker.applyTo(options);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    subscribe();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                // automatic reconnect takes over
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // publish() waits for its own delivery
            }
        });
        try {
            client.connect(options);
        } catch (MqttException e) {
            throw new EdgemlException("broker: cannot connect to " + broker.url() + ": " + MqttErrors.describe(e)
                    + "; is the broker running and the URL right?", e);
        }
        subscribe();
    }

    private void subscribe() {
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(filters, qos);
        } catch (MqttException e) {
            throw new EdgemlException("broker: cannot subscribe to " + String.join(", ", filters) + ": "
                    + MqttErrors.describe(e), e);
        }
    }

    /**
     * Publishes {@code payload} on {@code topic} at QoS 1, not retained, and waits until the broker has it.
     *
     * @throws EdgemlException when the broker is not reachable now
     */
    public void publish(String topic, byte[] payload) {
        try {
            client.publish(topic, payload, 1, false);
        } catch (MqttException e) {
            throw new EdgemlException("broker: cannot publish to " + topic + ": " + MqttErrors.describe(e), e);
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close();
        } catch (MqttException e) {
            try {
                client.disconnectForcibly(0, 500);
                client.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
