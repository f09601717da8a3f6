package org.edgeml.runtime;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.Version;
import org.edgeml.core.data.IdxReader;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.image.ColourPreprocessor;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.ModelFormatException;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.security.ModelVerifier;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.TriggerMode;
import org.edgeml.runtime.gpio.Gpio;
import org.edgeml.runtime.mqtt.DeviceIdentity;
import org.edgeml.runtime.mqtt.MqttLink;
import org.edgeml.runtime.mqtt.MqttSettings;
import org.edgeml.runtime.mqtt.PahoLink;
import org.edgeml.runtime.mqtt.Topics;
import org.edgeml.runtime.source.FrameSource;
import org.edgeml.runtime.source.FrameSources;

/**
 * Everything done once before the first frame, in an order that publishes nothing for bad input: the model
 * (its signature with {@code --trusted-key}, its golden vectors), the frame source and the GPIO (a bad
 * {@code idx:} folder or a button trigger without GPIO is an exit-2 error before connecting), then the MQTT
 * connection. A refused model is the one case that publishes: the retained {@code error} status.
 */
final class Startup {
    private static final System.Logger LOG = System.getLogger(Startup.class.getName());
    static final String VERSION = Version.current();

    private Startup() {}

    /**
     * @throws EdgemlException exit code 2 for bad input, 3 for a refused model: unsigned, wrongly signed or
     *                         tampered with (with {@code --trusted-key}), or failing its golden vectors
     */
    static EdgeRuntime prepare(RunConfig config) {
        return prepare(config, Gpio::open);
    }

    /** @param gpio opens the LED and button pins (tests pass Pi4J's mock platform, or none) */
    static EdgeRuntime prepare(RunConfig config, java.util.function.BiFunction<Integer, Integer, Gpio> gpio) {
        ModelVerifier verifier = config.trustedKey() == null ? null
                : ModelVerifier.trusting(config.trustedKey(), "trusted-key");
        LoadedModel model = readModel(config, verifier);
        Int8Engine engine = new Int8Engine(model.model());
        DeviceIdentity identity = identity(config, model.id());
        HealthFile health = new HealthFile(config.healthFile(), identity);
        if (verifier != null) {
            verifier.problemWith(model).ifPresent(reason -> {
                throw refusal(config, identity, health, reason);
            });
            log("model " + config.model() + " is signed by the trusted key " + verifier.trustedKeyId());
        }
        engine.goldenProblem().ifPresent(reason -> {
                throw refusal(config, identity, health, reason);
            });
        log("model " + config.model() + " id " + model.id() + ": " + model.model().goldens().size()
                + " golden vectors reproduced; " + engine.inputSize() + " inputs, " + engine.classes() + " classes; kernel "
                + kernel(engine));

        Gpio pins = gpio.apply(config.ledPin(), config.buttonPin());
        FrameSource source;
        try {
            if (config.trigger() == TriggerMode.BUTTON && pins.button().isEmpty()) {
                throw new EdgemlException("trigger: 'button' needs GPIO, which is off here ("
                        + pins.offReason().orElse("no button") + "); run on a Raspberry Pi with GPIO access, or drop --trigger button");
            }
            source = FrameSources.open(config, model.model().input().channels(), Preprocessor::decode,
                    ColourPreprocessor::decode, IdxReader::read, pins.button().orElse(null));
        } catch (RuntimeException e) {
            pins.close();
            throw e;
        }
        EdgeRuntime runtime = new EdgeRuntime(config, model, identity, health, source, pins,
                counters -> newLink(config, identity, counters), CpuTemperature.fromSystem());
        log("source " + source.describe() + "; publishing to " + config.broker() + " as "
                + config.topicPrefix() + "/" + config.device());
        try {
            runtime.connect(Duration.ofSeconds(5));
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    private static LoadedModel readModel(RunConfig config, ModelVerifier verifier) {
        try {
            return Q8ModelFile.read(config.model());
        } catch (ModelFormatException e) {
            if (verifier == null) {
                throw e;
            }
            // With a trusted key, a model that does not even decode (e.g. bytes changed, digest not) is forged.
            String name = config.model().getFileName() + ": ";
            String reason = e.getMessage().startsWith(name) ? e.getMessage().substring(name.length()) : e.getMessage();
            DeviceIdentity unknown = identity(config, "unreadable");
            throw refusal(config, unknown, new HealthFile(config.healthFile(), unknown), reason);
        }
    }

    /** {@code vector (256-bit)} or {@code scalar}. */
    private static String kernel(Int8Engine engine) {
        int bits = DenseKernels.vectorBits();
        return engine.kernelName().equals("vector") && bits > 0 ? "vector (" + bits + "-bit)" : engine.kernelName();
    }

    static MqttLink newLink(RunConfig config, DeviceIdentity identity,
                            java.util.function.Supplier<org.edgeml.runtime.mqtt.StatusCounters> counters) {
        return new PahoLink(MqttSettings.from(config), new Topics(config.topicPrefix(), config.device()), identity, counters);
    }

    /** Publishes the retained error status (waiting a little for the broker), records it, and returns the exit-3 error. */
    private static EdgemlException refusal(RunConfig config, DeviceIdentity identity, HealthFile health, String reason) {
        try (MqttLink link = newLink(config, identity, org.edgeml.runtime.mqtt.StatusCounters::none)) {
            link.publishError(config.model().getFileName() + ": " + reason);
            link.start();
            link.awaitConnected(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        health.write("error", false, 0, null, reason);
        return new EdgemlException(config.model() + ": refused: " + reason, EdgemlException.EXIT_MODEL_REFUSED, null);
    }

    private static DeviceIdentity identity(RunConfig config, String modelId) {
        return new DeviceIdentity(config.device(), modelId, VERSION, newBootId(), Instant.now());
    }

    private static String newBootId() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void log(String message) {
        LOG.log(Level.INFO, message);
    }
}
