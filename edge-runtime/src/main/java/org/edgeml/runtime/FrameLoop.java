package org.edgeml.runtime;

import java.time.Instant;
import java.util.List;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.engine.Prediction;
import org.edgeml.runtime.command.CommandDesk;
import org.edgeml.runtime.config.PublishMode;
import org.edgeml.runtime.mqtt.DeviceIdentity;
import org.edgeml.runtime.mqtt.Messages;
import org.edgeml.runtime.mqtt.MqttLink;
import org.edgeml.runtime.source.Frame;
import org.edgeml.runtime.source.FrameSource;

/**
 * The per-frame loop: read a frame, preprocess, infer, publish, count. Everything it needs was prepared
 * before ({@link Startup}); the status and health timers run beside it ({@link StatusTimer}).
 *
 * <p>Commands ({@link CommandDesk}) cost two volatile reads per frame while none is active; a paused loop still
 * reads frames (so snapshots and captures work) but classifies none.
 *
 * <p>{@code --count N} counts predictions (classified frames), published or not: with {@code --publish change}
 * the loop ends after N frames, having published only the changes among them.
 */
final class FrameLoop {
    private static final System.Logger LOG = System.getLogger(FrameLoop.class.getName());

    private final FrameSource source;
    private final ModelInput input;
    private final byte[] pixels;
    private final Int8Engine engine;
    private final MqttLink link;
    private final DeviceIdentity identity;
    private final Runnable blink;
    private final PublishMode publish;
    private final double threshold;
    private final long count;
    private final List<String> labels;
    private final CommandDesk commands;

    // Written by the loop's thread only; read by the timers.
    private volatile long frames;
    private volatile long unusable;
    private volatile long predictions;
    private volatile long published;
    private volatile boolean stopping;

    FrameLoop(FrameSource source, ModelInput input, Int8Engine engine, MqttLink link, DeviceIdentity identity,
              Runnable blink, PublishMode publish, double threshold, long count, List<String> labels,
              CommandDesk commands) {
        this.commands = commands;
        this.source = source;
        this.input = input;
        this.pixels = new byte[input.size()];
        this.engine = engine;
        this.link = link;
        this.identity = identity;
        this.blink = blink;
        this.publish = publish;
        this.threshold = threshold;
        this.count = count;
        this.labels = labels;
    }

    /** Classifies frames until the source ends, {@code --count} predictions were made, or {@link #stop()}. */
    void run() {
        int lastClass = -1;
        while (!stopping) {
            Frame frame;
            try {
                frame = source.next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (frame == null || stopping) {
                break;
            }
            frames++;
            if (commands.wantsFrame()) {
                commands.serve(frame);
            }
            if (commands.paused()) {
                continue;
            }
            long start = System.nanoTime();
            Prediction p;
            try {
                input.fill(frame, pixels);
                p = engine.predict(pixels, 3).orUnknownBelow(threshold);
            } catch (IllegalArgumentException e) {
                unusable++;
                LOG.log(System.Logger.Level.INFO, "skipping frame " + frame.origin() + ": " + e.getMessage());
                continue;
            }
            long latencyUs = (System.nanoTime() - start) / 1000;
            predictions++;
            blink.run();
            if (publish == PublishMode.EVERY || p.classIndex() != lastClass) {
                lastClass = p.classIndex();
                int truth = frame.hasLabel() && frame.label() < labels.size() ? frame.label() : -1;
                link.publishPrediction(Messages.prediction(identity, predictions, Instant.now(), p, latencyUs,
                        frame.origin(), truth, truth >= 0 ? labels.get(truth) : null));
                published++;
            }
            if (count > 0 && predictions >= count) {
                break;
            }
        }
    }

    /** Ends {@link #run()} after the current frame; the caller also closes the source to wake a waiting read. */
    void stop() {
        stopping = true;
    }

    long frames() {
        return frames;
    }

    /** Frames the engine could not take (e.g. a frame smaller than the model's input). */
    long unusable() {
        return unusable;
    }

    long predictions() {
        return predictions;
    }

    long published() {
        return published;
    }
}
