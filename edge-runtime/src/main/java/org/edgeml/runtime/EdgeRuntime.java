package org.edgeml.runtime;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.IdxReader;
import org.edgeml.core.engine.GoldenMismatch;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.engine.Prediction;
import org.edgeml.core.image.GrayImage;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.ModelFormatException;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.security.ModelVerifier;
import org.edgeml.runtime.config.PublishMode;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.gpio.Gpio;
import org.edgeml.runtime.mqtt.DeviceIdentity;
import org.edgeml.runtime.mqtt.Messages;
import org.edgeml.runtime.mqtt.MqttLink;
import org.edgeml.runtime.mqtt.MqttSettings;
import org.edgeml.runtime.mqtt.PahoLink;
import org.edgeml.runtime.mqtt.Topics;
import org.edgeml.runtime.source.Frame;
import org.edgeml.runtime.source.FrameSource;
import org.edgeml.runtime.source.FrameSources;
import org.edgeml.runtime.source.ImageDecoder;
import org.edgeml.runtime.source.SourceCounts;

/**
 * What runs on the device: frames from a source are preprocessed, classified by the int8 engine and
 * published over MQTT, one message per frame (or per change of class), with an LED blink each.
 *
 * <p>Start-up refuses a model whose golden vectors this engine does not reproduce bit for bit (status
 * {@code error}, exit code 3). {@link #stop()} (from SIGTERM) ends the loop; closing then stops the camera,
 * publishes the offline status and lets buffered messages go out.
 */
public final class EdgeRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EdgeRuntime.class.getName());
    private static final long STATUS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long DROP_REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long HEALTH_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    public static final String VERSION = versionOf(EdgeRuntime.class);

    private final RunConfig config;
    private final LoadedModel model;
    private final ModelVerifier verifier;
    private final Int8Engine engine;
    private final DeviceIdentity identity;
    private final HealthFile health;
    private final CountDownLatch closed = new CountDownLatch(1);
    private MqttLink link;
    private FrameSource source;
    private Gpio gpio;
    private volatile boolean stopping;
    private volatile long predictions;

    private EdgeRuntime(RunConfig config, LoadedModel model, ModelVerifier verifier) {
        this.config = config;
        this.model = model;
        this.verifier = verifier;
        this.engine = new Int8Engine(model.model());
        this.identity = identity(config, model.id());
        this.health = new HealthFile(config.healthFile(), identity);
    }

    private static DeviceIdentity identity(RunConfig config, String modelId) {
        return new DeviceIdentity(config.device(), modelId, VERSION, newBootId(), Instant.now());
    }

    /**
     * Loads and checks the model (its signature with {@code --trusted-key}, then its golden vectors), connects
     * (in the background) and opens the source.
     *
     * @throws EdgemlException exit code 2 for bad input, 3 for a refused model: unsigned, wrongly signed or
     *                         tampered with (with {@code --trusted-key}), or failing its golden vectors
     */
    public static EdgeRuntime start(RunConfig config) {
        ModelVerifier verifier = config.trustedKey() == null ? null
                : ModelVerifier.trusting(config.trustedKey(), "trusted-key");
        LoadedModel model;
        try {
            model = Q8ModelFile.read(config.model());
        } catch (ModelFormatException e) {
            if (verifier == null) {
                throw e;
            }
            // With a trusted key, a model that does not even decode (e.g. bytes changed, digest not) is forged.
            String name = config.model().getFileName() + ": ";
            String reason = e.getMessage().startsWith(name) ? e.getMessage().substring(name.length()) : e.getMessage();
            DeviceIdentity unknown = identity(config, "unreadable");
            try (MqttLink link = newLink(config, unknown, () -> SourceCounts.NONE)) {
                throw refusal(config, link, new HealthFile(config.healthFile(), unknown), reason);
            }
        }
        EdgeRuntime runtime = new EdgeRuntime(config, model, verifier);
        try {
            runtime.open();
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    private static MqttLink newLink(RunConfig config, DeviceIdentity identity,
                                    java.util.function.Supplier<SourceCounts> restarts) {
        return new PahoLink(MqttSettings.from(config), new Topics(config.topicPrefix(), config.device()), identity, restarts);
    }

    private void open() {
        link = newLink(config, identity, () -> source == null ? SourceCounts.NONE : SourceCounts.of(source));
        if (verifier != null) {
            verifier.problemWith(model).ifPresent(this::refuse);
            log("model " + config.model() + " is signed by the trusted key " + verifier.trustedKeyId());
        }
        List<GoldenMismatch> mismatches = engine.verifyGoldens();
        if (model.model().goldens().isEmpty() || !mismatches.isEmpty()) {
            String reason = model.model().goldens().isEmpty()
                    ? "the model has no golden vectors; quantize it again"
                    : "golden vector " + mismatches.get(0).describe() + " (" + mismatches.size() + " of "
                    + model.model().goldens().size() + " differ): this engine's arithmetic differs from the quantizer's";
            refuse(reason);
        }
        link.start();
        log("model " + config.model() + " id " + model.id() + ": " + model.model().goldens().size()
                + " golden vectors reproduced; " + engine.inputSize() + " inputs, " + engine.classes() + " classes");
        gpio = Gpio.open(config.ledPin(), config.buttonPin());
        if (!gpio.isOn()) {
            log("GPIO off: " + gpio.offReason().orElse("unknown reason"));
        }
        source = FrameSources.open(config, EdgeRuntime::decode, IdxReader::read, gpio.button().orElse(null));
        log("source " + source.describe() + "; publishing to " + config.broker() + " as "
                + config.topicPrefix() + "/" + config.device());
        health.write("online", 0, link.isConnected(), 0, 0, null);
        awaitBroker();
    }

    /** Waits a little for the first connection so a short run does not end with everything still buffered. */
    private void awaitBroker() {
        try {
            if (!link.awaitConnected(Duration.ofSeconds(5))) {
                log("broker " + config.broker() + " not reachable yet (" + link.lastError() + "); running anyway,"
                        + " buffering up to " + config.offlineBuffer() + " messages");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuse(String reason) {
        throw refusal(config, link, health, reason);
    }

    /** Publishes the retained error status (waiting a little for the broker), records it, and returns the exit-3 error. */
    private static EdgemlException refusal(RunConfig config, MqttLink link, HealthFile health, String reason) {
        link.publishError(config.model().getFileName() + ": " + reason);
        link.start();
        try {
            link.awaitConnected(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        health.write("error", 0, false, 0, 0, reason);
        return new EdgemlException(config.model() + ": refused: " + reason, EdgemlException.EXIT_MODEL_REFUSED, null);
    }

    private static ImageDecoder.Gray decode(java.nio.file.Path file) {
        GrayImage image = Preprocessor.decode(file);
        return new ImageDecoder.Gray(image.width(), image.height(), image.pixels());
    }

    /** Classifies frames until the source ends, {@code --count} predictions were published, or {@link #stop()}. */
    public void run() {
        loop();
    }

    private void loop() {
        Preprocessor preprocessor = new Preprocessor(model.model().input().height(), model.model().input().width(),
                config.invert());
        byte[] pixels = new byte[preprocessor.outputSize()];
        List<String> labels = model.model().labels();
        long seq = 0;
        long published = 0;
        int lastClass = -1;
        long lastRestarts = 0;
        long lastDropped = 0;
        long lastStatus = System.nanoTime();
        long lastHealth = lastStatus;
        while (!stopping) {
            Frame frame;
            try {
                frame = source.next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (frame == null) {
                break;
            }
            long start = System.nanoTime();
            Prediction p;
            try {
                preprocessor.process(frame.plane(), frame.offset(), frame.width(), frame.height(), frame.stride(), pixels);
                p = engine.predict(pixels, 3);
            } catch (IllegalArgumentException e) {
                log("skipping frame " + frame.origin() + ": " + e.getMessage());
                continue;
            }
            long latencyUs = (System.nanoTime() - start) / 1000;
            seq++;
            predictions = seq;
            gpio.blink();
            if (config.publish() == PublishMode.EVERY || p.classIndex() != lastClass) {
                lastClass = p.classIndex();
                link.publishPrediction(Messages.prediction(identity, message(seq, p, latencyUs, frame, labels)));
                published++;
            }
            long now = System.nanoTime();
            long restarts = source.restarts();
            long dropped = link.dropped();
            // Counters that changed are reported promptly (drops once the broker is back, at most once a second).
            boolean dropsToReport = dropped != lastDropped && link.isConnected() && now - lastStatus > DROP_REPORT_NANOS;
            if (restarts != lastRestarts || dropsToReport || now - lastStatus > STATUS_EVERY_NANOS) {
                lastRestarts = restarts;
                lastDropped = dropped;
                lastStatus = now;
                link.publishStatus();
            }
            if (now - lastHealth > HEALTH_EVERY_NANOS) {
                lastHealth = now;
                health.write("online", seq, link.isConnected(), link.dropped(), restarts, null);
            }
            if (config.count() > 0 && published >= config.count()) {
                break;
            }
        }
        log("stopped after " + seq + " predictions (" + published + " published, " + link.dropped() + " dropped)");
    }

    private static org.edgeml.runtime.mqtt.Prediction message(long seq, Prediction p, long latencyUs, Frame frame,
                                                              List<String> labels) {
        List<org.edgeml.runtime.mqtt.Prediction.Scored> top = new ArrayList<>(p.top().size());
        for (Prediction.Ranked r : p.top()) {
            top.add(new org.edgeml.runtime.mqtt.Prediction.Scored(r.label(), r.p()));
        }
        int truth = frame.hasLabel() && frame.label() < labels.size() ? frame.label() : -1;
        return new org.edgeml.runtime.mqtt.Prediction(seq, Instant.now(), p.classIndex(), p.label(), p.confidence(), top,
                latencyUs, frame.origin(), truth, truth >= 0 ? labels.get(truth) : null);
    }

    /**
     * Ends the loop from another thread (the SIGTERM hook) and waits, bounded, until the runtime is
     * closed, so the JVM does not exit before the offline status and buffered messages went out.
     */
    public void stop() {
        stopping = true;
        if (source != null) {
            source.close(); // wakes a next() that is waiting for a frame or a button press
        }
        try {
            closed.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public LoadedModel model() {
        return model;
    }

    public long predictions() {
        return predictions;
    }

    /** After {@link #close()}: messages the broker never acknowledged. */
    public long undelivered() {
        return link == null ? 0 : link.undelivered();
    }

    /** Messages dropped from the full offline buffer or refused by the client. */
    public long dropped() {
        return link == null ? 0 : link.dropped();
    }

    /** Stops the camera, publishes offline, flushes in-flight messages and releases GPIO. */
    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
        if (link != null) {
            flush();
            link.close();
        }
        long dropped = link == null ? 0 : link.dropped();
        if (gpio != null) {
            gpio.close();
        }
        if (link != null && source != null) {
            health.write("offline", predictions, false, dropped, source.restarts(), null);
        }
        closed.countDown();
    }

    /**
     * Gives a broker that is away time to come back before exiting: with messages in the offline buffer, one
     * full reconnect interval (so a broker that returned is found), else a few seconds for the offline status.
     */
    private void flush() {
        Duration wait = link.pending() > 0 ? MqttSettings.MAX_RETRY.plusSeconds(2) : Duration.ofSeconds(5);
        try {
            if (!link.isConnected() && !link.awaitConnected(wait)) {
                log("broker still unreachable at exit: " + link.pending() + " buffered messages are lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String message) {
        LOG.log(Level.INFO, message);
    }

    private static String newBootId() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String versionOf(Class<?> c) {
        String v = c.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
