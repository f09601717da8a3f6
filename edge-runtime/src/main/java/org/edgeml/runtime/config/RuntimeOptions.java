package org.edgeml.runtime.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options of the runtime that a device keeps in its config file: every option of {@code edgeml run} but
 * {@code --model}, {@code --health-file} and {@code --config}, which {@link RunOptions} adds. {@code edgeml deploy}
 * mixes this class in and writes what the user gave into the device's {@code edgeml.conf}. A field is
 * {@code null} when its option is not given; {@link #toConfig} applies the defaults and validates.
 */
public final class RuntimeOptions {
    public static final String DEFAULT_BROKER = "tcp://localhost:1883";

    @Mixin
    SourceOptions frames = new SourceOptions();
    @Option(names = "--broker", paramLabel = "URL",
            description = "MQTT broker as the device reaches it, tcp://HOST:1883 or ssl://HOST:8883 (default "
                    + DEFAULT_BROKER + ").")
    String broker;
    @Option(names = "--device", paramLabel = "ID", description = "Device id in topics (default: the host name).")
    String device;
    @Option(names = "--count", paramLabel = "N",
            description = "Exit after N predictions: N frames classified (with --publish change only the changes among"
                    + " them are published; default 0: run until stopped).")
    Long count;
    @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Topic prefix (default edgeml).")
    String topicPrefix;
    @Option(names = "--qos", paramLabel = "0|1|2", description = "QoS of predictions (default 1).")
    Integer qos;
    @Option(names = "--publish", paramLabel = "every|change",
            description = "Publish every prediction or only changes of class (default every).")
    PublishMode publish;
    @Option(names = "--threshold", paramLabel = "P",
            description = "Publish a prediction whose confidence is below P as label \"unknown\", class -1, its top"
                    + " classes kept (default 0: always the best class).")
    Double threshold;
    @Option(names = "--fps", paramLabel = "MAX", description = "Classify at most MAX frames per second (default 0: no limit).")
    Double fps;
    @Mixin
    BrokerLogin login = new BrokerLogin();
    @Option(names = "--led", paramLabel = "PIN", description = "BCM GPIO of an LED that blinks per prediction.")
    Integer led;
    @Option(names = "--button", paramLabel = "PIN", description = "BCM GPIO of a push button to ground.")
    Integer button;
    @Option(names = "--trigger", paramLabel = "continuous|button",
            description = "Classify every frame, or one per button press (default continuous).")
    TriggerMode trigger;
    @Option(names = "--no-discovery", arity = "0..1", paramLabel = "true|false", description = "Do not publish Home Assistant discovery.")
    Boolean noDiscovery;
    @Option(names = "--no-commands", arity = "0..1", paramLabel = "true|false",
            description = "Take no commands on PREFIX/DEVICE/set (capture, snapshot, pause, resume); by default the"
                    + " broker's ACLs decide who may command the device.")
    Boolean noCommands;
    @Option(names = "--persistence-dir", paramLabel = "DIR",
            description = "Keep in-flight MQTT messages in DIR on the device (default: in memory).")
    Path persistenceDir;
    @Option(names = "--offline-buffer", paramLabel = "N",
            description = "Messages kept while the broker is away, oldest dropped (default 10000).")
    Integer offlineBuffer;
    @Option(names = "--clean-session", arity = "0..1", paramLabel = "true|false",
            description = "Start a clean MQTT session (default off: QoS 1 survives outages).")
    Boolean cleanSession;
    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id (default edgeml-DEVICE).")
    String clientId;
    @Option(names = "--status-interval", paramLabel = "SECONDS",
            description = "Publish the status (and write the health file) every SECONDS, frames or not (default 30).")
    Integer statusInterval;
    @Option(names = "--trusted-key", paramLabel = "PUB",
            description = "Run only models signed by this Ed25519 public key (edgeml keygen's KEY.pub); deploy checks"
                    + " the model against it before uploading, and uploads it.")
    Path trustedKey;

    /**
     * The given options as config keys (the flag without its dashes) and values, in the order of {@code --help}:
     * what a device's config file holds.
     */
    public Map<String, String> given() {
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionSpec option : new CommandLine(this).getCommandSpec().options()) {
            Object value = option.getValue();
            if (value != null) {
                values.put(option.longestName().substring(2), text(value));
            }
        }
        return values;
    }

    private static String text(Object value) {
        if (value instanceof Double d) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return value.toString();
    }

    /**
     * The validated configuration, with the defaults for what was not given. Nothing on disk is checked here:
     * a deploy validates paths of the device's file system.
     */
    public RunConfig toConfig(Path model, Path healthFile) {
        if (frames.source == null) {
            throw new org.edgeml.core.EdgemlException("source: missing; give --source rpicam, dir:PATH or idx:PATH");
        }
        String deviceId = or(device, DefaultDevice.name());
        return new RunConfig(
                model,
                SourceSpec.parse(frames.source),
                or(broker, DEFAULT_BROKER),
                deviceId,
                or(count, 0L),
                or(topicPrefix, "edgeml"),
                or(qos, 1),
                or(publish, PublishMode.EVERY),
                or(fps, 0.0),
                login.username,
                nonEmpty("password-file", login.passwordFile),
                nonEmpty("cafile", login.cafile),
                nonEmpty("cert", login.cert),
                nonEmpty("key", login.key),
                or(led, RunConfig.NO_PIN),
                or(button, RunConfig.NO_PIN),
                or(trigger, TriggerMode.CONTINUOUS),
                !or(noDiscovery, false),
                nonEmpty("persistence-dir", persistenceDir),
                or(offlineBuffer, 10_000),
                or(cleanSession, false),
                or(clientId, "edgeml-" + deviceId),
                or(frames.cameraWidth, 640),
                or(frames.cameraHeight, 480),
                or(frames.cameraFps, 10),
                or(frames.rpicamVid, "rpicam-vid"),
                or(frames.cameraTimeout, 5),
                or(statusInterval, 30),
                nonEmpty("health-file", healthFile),
                nonEmpty("trusted-key", trustedKey),
                or(frames.invert, false),
                or(threshold, 0.0),
                !or(noCommands, false));
    }

    /**
     * The config of a frame source alone, for reading frames without a model ({@code edgeml capture}): the source
     * and camera options with run's defaults, validated with run's messages. Its model path is a placeholder.
     */
    public static RunConfig forSource(SourceOptions frames) {
        RuntimeOptions options = new RuntimeOptions();
        options.frames = frames;
        return options.toConfig(Path.of("no-model.q8"), null);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Path nonEmpty(String key, Path path) {
        if (path != null && path.toString().isBlank()) {
            throw new org.edgeml.core.EdgemlException(key + ": empty; give a path");
        }
        return path;
    }
}
