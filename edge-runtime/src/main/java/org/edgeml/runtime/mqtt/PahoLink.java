package org.edgeml.runtime.mqtt;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;
import org.edgeml.core.EdgemlException;
import org.edgeml.mqtt.Broker;
import org.edgeml.mqtt.MqttErrors;

/**
 * {@link MqttLink} on Eclipse Paho 1.2.5, configured against its defaults: automatic reconnect on; the
 * first connect retried with backoff (Paho never retries it); a bounded offline buffer that drops the
 * oldest message (counted); memory or explicit-directory persistence; {@code maxInflight} sized for bursts;
 * the retained offline status as last will and the retained online status on every (re)connect; Home
 * Assistant discovery re-sent when {@code homeassistant/status} says {@code online}.
 */
public final class PahoLink implements MqttLink {
    private static final System.Logger LOG = System.getLogger(PahoLink.class.getName());
    private static final long CLOSE_WAIT_MILLIS = 3000;
    private static final long INFLIGHT_WAIT_MILLIS = 5000;
    private static final int MAX_HA_STATUS_BYTES = 64;
    private static final long STATUS_CHECK_MILLIS = 50;

    private final MqttSettings settings;
    private final Topics topics;
    private final DeviceIdentity identity;
    private final Supplier<StatusCounters> counters;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ScheduledExecutorService retries;
    private final Object publishLock = new Object();

    private volatile CountDownLatch connectedLatch = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile String errorReason;
    private volatile long dropped;
    private volatile long reportedDropped;
    private volatile long undelivered;
    private volatile boolean statusWanted;
    private volatile String lastError = "";
    private volatile long lastDropLogNanos;
    private volatile java.util.function.BiConsumer<byte[], Boolean> commands;
    private volatile boolean subscriptionWanted;

    /**
     * @param counters the runtime's counters now, reported in the status
     * @throws EdgemlException for settings that cannot work (unreadable password file, bad PEM, bad URL)
     */
    public PahoLink(MqttSettings settings, Topics topics, DeviceIdentity identity, Supplier<StatusCounters> counters) {
        this.settings = settings;
        this.topics = topics;
        this.identity = identity;
        this.counters = counters;
        this.options = connectOptions(settings, topics, identity);
        try {
            this.client = new MqttAsyncClient(settings.broker(), settings.clientId(), persistence(settings.persistenceDir()));
        } catch (MqttException | IllegalArgumentException e) {
            throw new EdgemlException("broker: cannot use " + settings.broker() + " (" + e.getMessage() + ")", e);
        }
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(settings.offlineBuffer());
        buffer.setDeleteOldestMessages(true);
        buffer.setPersistBuffer(settings.persistenceDir() != null);
        client.setBufferOpts(buffer);
        client.setCallback(new Callback());
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-connect");
            t.setDaemon(true);
            return t;
        });
    }

    private static MqttClientPersistence persistence(Path dir) {
        if (dir == null) {
            return new MemoryPersistence();
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EdgemlException("persistence-dir: cannot create " + dir + " (" + e.getMessage() + ")", e);
        }
        return new MqttDefaultFilePersistence(dir.toString());
    }

    private static MqttConnectOptions connectOptions(MqttSettings s, Topics topics, DeviceIdentity identity) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay((int) s.maxRetry().toMillis());
        o.setCleanSession(s.cleanSession());
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setMaxInflight(s.maxInflight());
        o.setWill(topics.status(), Messages.offline(identity).getBytes(StandardCharsets.UTF_8), 1, true);
        return new Broker(s.broker(), s.username(), s.passwordFile(), s.cafile(), s.cert(), s.key()).applyTo(o);
    }

    @Override
    public void start() {
        retries.scheduleWithFixedDelay(() -> {
            subscribeWanted();
            publishWantedStatus();
        }, STATUS_CHECK_MILLIS, STATUS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        connect(settings.firstRetry());
    }

    /** One connect attempt; on failure the next is scheduled after {@code retry}, doubling up to the cap. */
    private void connect(Duration retry) {
        if (closed) {
            return;
        }
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    lastError = "";
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retryLater(e, retry);
                }
            });
        } catch (MqttException e) {
            retryLater(e, retry);
        }
    }

    private void retryLater(Throwable e, Duration retry) {
        if (closed) {
            return;
        }
        lastError = MqttErrors.describe(e);
        LOG.log(Level.WARNING, "MQTT: cannot connect to " + settings.broker() + ": " + lastError + "; retrying in "
                + retry.toMillis() + " ms");
        Duration next = retry.multipliedBy(2).compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : retry.multipliedBy(2);
        try {
            retries.schedule(() -> connect(next), retry.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    @Override
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connectedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && client.isConnected();
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void publishPrediction(String json) {
        publish(topics.prediction(), json, settings.qos(), false);
    }

    @Override
    public void publishBytes(String topic, byte[] payload) {
        publishRaw(topic, displaces -> payload, 1, false);
    }

    @Override
    public void onCommands(java.util.function.BiConsumer<byte[], Boolean> handler) {
        this.commands = handler;
    }

    /** Asks for a status; it goes out as soon as {@link #publishWantedStatus()} allows. */
    @Override
    public void publishStatus() {
        statusWanted = true;
        publishWantedStatus();
    }

    /**
     * Publishes a wanted status only while connected with an empty offline buffer (after a reconnect: once the
     * buffer is flushed), so a status never pushes a buffered prediction out and its drop count is final when
     * it arrives. Should the connection drop in between, a displacement it causes is counted in it too.
     */
    private synchronized void publishWantedStatus() {
        try {
            if (!statusWanted || closed || errorReason != null || !client.isConnected()
                    || client.getBufferedMessageCount() > 0) {
                return;
            }
            statusWanted = false;
            publishOnline();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "MQTT: could not publish the status: " + e);
        }
    }

    private void publishOnline() {
        publish(topics.status(), displaces -> {
            long reported = dropped + (displaces ? 1 : 0);
            reportedDropped = reported;
            return Messages.online(identity, Instant.now(), reported, counters.get());
        }, 1, true);
    }

    /**
     * Subscribes to the command topic (or, without commands, unsubscribes what a kept session may still hold from
     * an earlier run) and, with discovery, to Home Assistant's status, once connected with an empty offline buffer. Paho queues a subscribe behind buffered messages
     * and, when the buffer is full, deletes the oldest prediction to make room for it, uncounted: never while
     * the buffer holds anything.
     */
    private void subscribeWanted() {
        if (!subscriptionWanted || closed || errorReason != null || !client.isConnected()) {
            return;
        }
        synchronized (publishLock) {
            if (client.getBufferedMessageCount() > 0) {
                return;
            }
            subscriptionWanted = false;
            try {
                if (commands != null) {
                    client.subscribe(topics.set(), 1);
                } else if (!settings.cleanSession()) {
                    client.unsubscribe(topics.set());
                }
                if (settings.discovery()) {
                    client.subscribe(Topics.HA_STATUS, 1);
                }
            } catch (MqttException | RuntimeException e) {
                subscriptionWanted = true;
                LOG.log(Level.DEBUG, "MQTT: (un)subscribing " + topics.set() + ": " + e);
            }
        }
    }

    @Override
    public void publishError(String reason) {
        errorReason = reason;
        if (client.isConnected()) {
            publish(topics.status(), Messages.error(identity, reason), 1, true);
        }
    }

    private void publishDiscovery() {
        if (settings.discovery()) {
            publish(topics.discovery(), Messages.discovery(identity, topics), 1, true);
        }
    }

    /**
     * Hands the message to Paho. While the offline buffer is in use and full, Paho silently deletes its oldest
     * message to make room: that is counted here. When too many messages await acknowledgement, or Paho is
     * in the middle of a reconnect attempt (when it accepts neither sends nor buffering), it waits (bounded)
     * instead of losing the message.
     */
    private void publish(String topic, String payload, int qos, boolean retained) {
        publish(topic, displaces -> payload, qos, retained);
    }

    /** @param payload the payload, given whether it will push the oldest buffered message out */
    private void publish(String topic, Function<Boolean, String> payload, int qos, boolean retained) {
        publishRaw(topic, displaces -> payload.apply(displaces).getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    private void publishRaw(String topic, Function<Boolean, byte[]> payload, int qos, boolean retained) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INFLIGHT_WAIT_MILLIS);
        while (!closed) {
            try {
                synchronized (publishLock) {
                    boolean evicts = client.getBufferedMessageCount() >= settings.offlineBuffer();
                    client.publish(topic, payload.apply(evicts), qos, retained);
                    if (evicts) {
                        drop("the offline buffer is full (" + settings.offlineBuffer() + "); dropped the oldest message");
                    }
                }
                return;
            } catch (MqttException e) {
                if (!isTransient(e) || System.nanoTime() > deadline) {
                    drop("could not publish to " + topic + ": " + MqttErrors.describe(e));
                    return;
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drop("interrupted while publishing to " + topic);
                return;
            }
        }
    }

    private static boolean isTransient(MqttException e) {
        int reason = e.getReasonCode();
        return reason == MqttException.REASON_CODE_MAX_INFLIGHT
                || reason == MqttException.REASON_CODE_CONNECT_IN_PROGRESS
                || reason == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED;
    }

    private void drop(String why) {
        dropped++;
        long now = System.nanoTime();
        if (now - lastDropLogNanos > TimeUnit.SECONDS.toNanos(10)) {
            lastDropLogNanos = now;
            LOG.log(Level.WARNING, "MQTT: " + why + " (" + dropped + " dropped so far)");
        }
    }

    @Override
    public int pending() {
        return client.getBufferedMessageCount();
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public long undelivered() {
        return undelivered;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        retries.shutdownNow();
        try {
            if (client.isConnected() && errorReason == null) {
                awaitBufferFlushed();
                if (statusWanted || dropped != reportedDropped) {
                    statusWanted = true;
                    publishWantedStatus();
                }
                IMqttDeliveryToken offline = client.publish(topics.status(),
                        Messages.offline(identity).getBytes(StandardCharsets.UTF_8), 1, true);
                offline.waitForCompletion(CLOSE_WAIT_MILLIS);
            }
        } catch (MqttException e) {
            LOG.log(Level.WARNING, "MQTT: could not publish the offline status: " + MqttErrors.describe(e));
        }
        closed = true;
        try {
            if (client.isConnected()) {
                client.disconnect(CLOSE_WAIT_MILLIS).waitForCompletion(CLOSE_WAIT_MILLIS * 2);
            } else {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "MQTT: disconnect: " + MqttErrors.describe(e));
        }
        undelivered = client.getBufferedMessageCount() + client.getPendingDeliveryTokens().length;
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "MQTT: close: " + MqttErrors.describe(e));
        }
        if (undelivered > 0) {
            LOG.log(Level.WARNING, "MQTT: " + undelivered + " messages were not delivered"
                    + (settings.persistenceDir() == null ? "" : " (kept in " + settings.persistenceDir() + ")"));
        }
    }

    /** Waits (bounded) until Paho has sent what it buffered, so the last messages displace nothing. */
    private void awaitBufferFlushed() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        while (client.getBufferedMessageCount() > 0 && client.isConnected() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            LOG.log(Level.INFO, "MQTT: " + (reconnect ? "reconnected to " : "connected to ") + serverURI);
            try {
                if (errorReason != null) {
                    publish(topics.status(), Messages.error(identity, errorReason), 1, true);
                    connectedLatch.countDown();
                    return;
                }
                // Subscribed before the status goes out: a subscriber that sees "online" can send commands.
                subscriptionWanted = commands != null || !settings.cleanSession() || settings.discovery();
                subscribeWanted();
                publishStatus();
                if (settings.discovery()) {
                    publishDiscovery();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTT: after connecting: " + MqttErrors.describe(e));
            }
            connectedLatch.countDown();
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (connectedLatch.getCount() == 0) {
                connectedLatch = new CountDownLatch(1);
            }
            if (!closed) {
                lastError = MqttErrors.describe(cause);
                LOG.log(Level.WARNING, "MQTT: connection to " + settings.broker() + " lost (" + lastError
                        + "); reconnecting, buffering up to " + settings.offlineBuffer() + " messages");
            }
        }

        /**
         * Commands go to their handler; else only {@code homeassistant/status} is subscribed; anything else, or
         * anything odd, is ignored.
         */
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                byte[] payload = message.getPayload();
                if (topics.set().equals(topic)) {
                    java.util.function.BiConsumer<byte[], Boolean> handler = commands;
                    if (handler != null) {
                        handler.accept(payload, message.isRetained());
                    } else {
                        LOG.log(Level.DEBUG, "MQTT: ignored a command: commands are off (--no-commands)");
                    }
                    return;
                }
                if (!Topics.HA_STATUS.equals(topic)) {
                    LOG.log(Level.DEBUG, "MQTT: ignored a message on " + topic);
                    return;
                }
                String state = payload.length > MAX_HA_STATUS_BYTES ? null
                        : new String(payload, StandardCharsets.UTF_8).strip();
                if ("online".equals(state)) {
                    LOG.log(Level.INFO, "MQTT: Home Assistant is online; re-sending discovery");
                    publishDiscovery();
                } else if (!"offline".equals(state)) {
                    LOG.log(Level.WARNING, "MQTT: ignored a malformed " + Topics.HA_STATUS + " message of "
                            + payload.length + " bytes");
                }
            } catch (RuntimeException e) {
                // Throwing here would make Paho drop the connection: never.
                LOG.log(Level.WARNING, "MQTT: ignored a message that could not be handled: " + e);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // acknowledgements need no action
        }
    }
}
