package org.edgeml.runtime.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.edgeml.core.EdgemlException;

/**
 * Every option of {@code edgeml run}, validated: a value that cannot work is refused here with a one-line
 * message naming the key and the fix. Optional paths are {@code null} when not given; pins are
 * {@link #NO_PIN} when not given. Build it with {@link RunConfigParser} (or {@link RuntimeOptions#toConfig}).
 *
 * @param count            predictions to make before exiting; 0 runs until stopped
 * @param fps              the most frames per second to classify; 0 means as fast as frames come
 * @param persistenceDir   where Paho keeps in-flight and buffered messages; {@code null} keeps them in memory
 * @param offlineBuffer    messages kept while the broker is unreachable (the oldest are dropped beyond it)
 * @param cleanSession     MQTT clean session; off (the default) keeps QoS 1/2 messages across outages
 * @param cameraTimeoutSeconds how long the camera may send no frame before it is restarted
 * @param statusIntervalSeconds how often the status is published and the health file written, frames or not
 * @param healthFile       where the runtime keeps a small JSON file with its state (for deploy and
 *                         supervisors), or {@code null} for none
 * @param threshold        confidence below which a prediction is published as {@code unknown} (class -1); 0 = never
 * @param invert           invert frames ({@code p -> 255 - p}) before preprocessing: for scenes of dark objects on a
 *                         light ground when the model learnt light objects on a dark ground (Fashion-MNIST)
 * @param commands         take JSON commands on {@code PREFIX/DEVICE/set} (off with {@code --no-commands})
 * @param trustedKey       the Ed25519 public key (PEM) every model must be signed by, or {@code null} to run
 *                         unsigned models
 */
public record RunConfig(
        Path model,
        SourceSpec source,
        String broker,
        String device,
        long count,
        String topicPrefix,
        int qos,
        PublishMode publish,
        double fps,
        String username,
        Path passwordFile,
        Path cafile,
        Path cert,
        Path key,
        int ledPin,
        int buttonPin,
        TriggerMode trigger,
        boolean discovery,
        Path persistenceDir,
        int offlineBuffer,
        boolean cleanSession,
        String clientId,
        int cameraWidth,
        int cameraHeight,
        int cameraFps,
        String rpicamVid,
        int cameraTimeoutSeconds,
        int statusIntervalSeconds,
        Path healthFile,
        Path trustedKey,
        boolean invert,
        double threshold,
        boolean commands) {

    public static final int NO_PIN = -1;
    /** The highest BCM GPIO number on the 40-pin header. */
    public static final int MAX_PIN = 27;

    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern BROKER = Pattern.compile("(tcp|ssl|ws|wss)://[^/\\s]+(:\\d{1,5})?/?.*");

    public RunConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(trigger, "trigger");
        if (model == null) {
            throw new EdgemlException("model: missing; give --model FILE.q8");
        }
        if (broker == null || !BROKER.matcher(broker).matches() || !hasHostAndPort(broker)) {
            throw new EdgemlException("broker: '" + broker + "' is not an MQTT URL; use tcp://HOST:1883 or ssl://HOST:8883");
        }
        if (device == null || !DEVICE.matcher(device).matches()) {
            throw new EdgemlException("device: '" + device + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (count < 0) {
            throw new EdgemlException("count: " + count + " is negative; use 0 to run until stopped");
        }
        checkTopicPrefix(topicPrefix);
        if (qos < 0 || qos > 2) {
            throw new EdgemlException("qos: " + qos + " is not an MQTT QoS; use 0, 1 or 2");
        }
        if (!(threshold >= 0 && threshold < 1)) {
            throw new EdgemlException("threshold: " + threshold + " is out of range; use 0 (off) up to below 1, e.g. 0.6");
        }
        if (!(fps >= 0 && fps <= 1000)) {
            throw new EdgemlException("fps: " + fps + " is out of range; use 0 (no limit) up to 1000");
        }
        if (passwordFile != null && (username == null || username.isEmpty())) {
            throw new EdgemlException("password-file: given without a username; add --username NAME");
        }
        if ((cert == null) != (key == null)) {
            throw new EdgemlException((cert == null ? "key" : "cert")
                    + ": a client certificate needs both --cert and --key");
        }
        boolean tlsBroker = broker.startsWith("ssl://") || broker.startsWith("wss://");
        if ((cafile != null || cert != null) && !tlsBroker) {
            throw new EdgemlException("broker: TLS options need an ssl:// (or wss://) broker URL, got " + broker);
        }
        checkPin("led", ledPin);
        checkPin("button", buttonPin);
        if (ledPin != NO_PIN && ledPin == buttonPin) {
            throw new EdgemlException("button: GPIO " + buttonPin + " is also the led pin; use two different pins");
        }
        if (trigger == TriggerMode.BUTTON && buttonPin == NO_PIN) {
            throw new EdgemlException("trigger: 'button' needs a button; add --button PIN");
        }
        if (offlineBuffer < 1 || offlineBuffer > 1_000_000) {
            throw new EdgemlException("offline-buffer: " + offlineBuffer + " is out of range; use 1 to 1000000 messages");
        }
        if (clientId == null || clientId.isBlank() || clientId.length() > 128) {
            throw new EdgemlException("client-id: must be 1-128 characters");
        }
        if (cameraWidth < 32 || cameraWidth > 4096 || cameraWidth % 2 != 0) {
            throw new EdgemlException("camera-width: " + cameraWidth + " must be even, 32 to 4096");
        }
        if (cameraHeight < 32 || cameraHeight > 4096 || cameraHeight % 2 != 0) {
            throw new EdgemlException("camera-height: " + cameraHeight + " must be even, 32 to 4096");
        }
        if (cameraFps < 1 || cameraFps > 120) {
            throw new EdgemlException("camera-fps: " + cameraFps + " is out of range; use 1 to 120");
        }
        if (rpicamVid == null || rpicamVid.isBlank()) {
            throw new EdgemlException("rpicam-vid: empty; give the path of rpicam-vid");
        }
        if (cameraTimeoutSeconds < 1 || cameraTimeoutSeconds > 600) {
            throw new EdgemlException("camera-timeout: " + cameraTimeoutSeconds + " is out of range; use 1 to 600 seconds");
        }
        if (statusIntervalSeconds < 1 || statusIntervalSeconds > 3600) {
            throw new EdgemlException("status-interval: " + statusIntervalSeconds + " is out of range; use 1 to 3600 seconds");
        }
    }

    /** A host, and a port (when given) from 1 to 65535. */
    private static boolean hasHostAndPort(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            return uri.getHost() != null && (uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65535);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void checkTopicPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/")
                || prefix.contains("+") || prefix.contains("#") || prefix.contains("\0") || prefix.contains("//")) {
            throw new EdgemlException("topic-prefix: '" + prefix
                    + "' must be non-empty, without + # or leading/trailing '/'; e.g. edgeml or home/edgeml");
        }
    }

    private static void checkPin(String key, int pin) {
        if (pin != NO_PIN && (pin < 0 || pin > MAX_PIN)) {
            throw new EdgemlException(key + ": GPIO " + pin + " does not exist; use a BCM number 0 to " + MAX_PIN);
        }
    }

    public boolean tls() {
        return broker.startsWith("ssl://") || broker.startsWith("wss://");
    }
}
