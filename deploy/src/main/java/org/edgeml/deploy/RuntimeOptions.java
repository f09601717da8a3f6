package org.edgeml.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code edgeml run} that a deploy writes into the device's config file. Only what the user gives
 * is written; the runtime applies its own defaults to the rest. Files (password, CA, client certificate and key)
 * are local paths here: the deploy uploads them into the release. {@code --source dir:PATH} and
 * {@code idx:PATH} name paths on the device.
 */
public final class RuntimeOptions {
    @Option(names = "--source", paramLabel = "SOURCE", description = "rpicam | dir:PATH | idx:PATH on the device (default rpicam).")
    String source;
    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker as the device reaches it, tcp://HOST:1883 or ssl://HOST:8883.")
    String broker;
    @Option(names = "--device", paramLabel = "ID", description = "Device id in topics (default: the host name).")
    String device;
    @Option(names = "--count", paramLabel = "N", description = "Exit after N predictions (default: run until stopped).")
    Long count;
    @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Topic prefix (runtime default edgeml).")
    String topicPrefix;
    @Option(names = "--qos", paramLabel = "0|1|2", description = "QoS of predictions.")
    Integer qos;
    @Option(names = "--publish", paramLabel = "every|change", description = "Publish every prediction or changes only.")
    String publish;
    @Option(names = "--fps", paramLabel = "MAX", description = "Classify at most MAX frames per second.")
    Double fps;
    @Option(names = "--username", paramLabel = "NAME", description = "MQTT user name.")
    String username;
    @Option(names = "--password-file", paramLabel = "FILE", description = "Local file holding the MQTT password; uploaded (mode 0600/0640).")
    Path passwordFile;
    @Option(names = "--cafile", paramLabel = "FILE", description = "Local PEM CA file for the broker's certificate; uploaded.")
    Path cafile;
    @Option(names = "--cert", paramLabel = "FILE", description = "Local PEM client certificate; uploaded.")
    Path cert;
    @Option(names = "--key", paramLabel = "FILE", description = "Local PEM PKCS#8 client key; uploaded (mode 0600/0640).")
    Path key;
    @Option(names = "--led", paramLabel = "PIN", description = "BCM GPIO of an LED that blinks per prediction.")
    Integer led;
    @Option(names = "--button", paramLabel = "PIN", description = "BCM GPIO of a push button.")
    Integer button;
    @Option(names = "--trigger", paramLabel = "continuous|button", description = "Classify every frame or one per button press.")
    String trigger;
    @Option(names = "--no-discovery", description = "No Home Assistant discovery.")
    boolean noDiscovery;
    @Option(names = "--persistence-dir", paramLabel = "DIR", description = "Device directory for in-flight MQTT messages.")
    String persistenceDir;
    @Option(names = "--offline-buffer", paramLabel = "N", description = "Messages kept while the broker is away.")
    Integer offlineBuffer;
    @Option(names = "--clean-session", description = "Start a clean MQTT session.")
    boolean cleanSession;
    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id.")
    String clientId;
    @Option(names = "--camera-width", paramLabel = "W", description = "rpicam frame width.")
    Integer cameraWidth;
    @Option(names = "--camera-height", paramLabel = "H", description = "rpicam frame height.")
    Integer cameraHeight;
    @Option(names = "--camera-fps", paramLabel = "F", description = "rpicam frame rate.")
    Integer cameraFps;
    @Option(names = "--rpicam-vid", paramLabel = "PATH", description = "rpicam-vid program on the device.")
    String rpicamVid;
    @Option(names = "--camera-timeout", paramLabel = "SECONDS", description = "Restart the camera after this long without a frame.")
    Integer cameraTimeout;
    @Option(names = "--invert", description = "Invert frames first (dark objects on a light ground).")
    boolean invert;
    @Option(names = "--trusted-key", paramLabel = "PUB",
            description = "Local Ed25519 public key (edgeml keygen's KEY.pub): the model must be signed by it before it is"
                    + " uploaded, and the device runs only models signed by it; uploaded.")
    Path trustedKey;

    /** The given options as config keys (the flag without its dashes) and values, in the order of {@code run --help}. */
    public Map<String, String> given() {
        Map<String, String> v = new LinkedHashMap<>();
        put(v, "source", source);
        put(v, "broker", broker);
        put(v, "device", device);
        put(v, "count", count);
        put(v, "topic-prefix", topicPrefix);
        put(v, "qos", qos);
        put(v, "publish", publish);
        put(v, "fps", fps);
        put(v, "username", username);
        put(v, "password-file", passwordFile);
        put(v, "cafile", cafile);
        put(v, "cert", cert);
        put(v, "key", key);
        put(v, "led", led);
        put(v, "button", button);
        put(v, "trigger", trigger);
        put(v, "no-discovery", noDiscovery ? "true" : null);
        put(v, "persistence-dir", persistenceDir);
        put(v, "offline-buffer", offlineBuffer);
        put(v, "clean-session", cleanSession ? "true" : null);
        put(v, "client-id", clientId);
        put(v, "camera-width", cameraWidth);
        put(v, "camera-height", cameraHeight);
        put(v, "camera-fps", cameraFps);
        put(v, "rpicam-vid", rpicamVid);
        put(v, "camera-timeout", cameraTimeout);
        put(v, "trusted-key", trustedKey);
        put(v, "invert", invert ? "true" : null);
        return v;
    }

    private static void put(Map<String, String> v, String key, Object value) {
        if (value instanceof Double d) {
            v.put(key, java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        } else if (value != null) {
            v.put(key, value.toString());
        }
    }
}
