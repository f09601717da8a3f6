package org.edgeml.runtime.command;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.core.json.Json;
import org.edgeml.runtime.mqtt.DeviceIdentity;
import org.edgeml.runtime.mqtt.Messages;
import org.edgeml.runtime.mqtt.MqttLink;
import org.edgeml.runtime.mqtt.Topics;
import org.edgeml.runtime.source.Frame;

/**
 * Carries out the commands that arrive on {@code PREFIX/DEVICE/set}. {@link #accept} runs on the MQTT thread:
 * it parses, replies to a bad command on {@code PREFIX/DEVICE/error} (changing nothing) and records what a good
 * one asks for. The frame loop asks {@link #paused()} and {@link #wantsFrame()} per frame (two volatile reads,
 * no allocation) and calls {@link #serve} only while a snapshot or a capture waits for frames; the PNGs are
 * encoded and published from one encoder thread, never the loop's.
 */
public final class CommandDesk implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CommandDesk.class.getName());
    /** Frames handed to the encoder and not yet published; beyond it the loop lets frames pass (none is lost). */
    static final int MAX_PENDING = 4;

    private final Topics topics;
    private final DeviceIdentity identity;
    private final MqttLink link;
    private final boolean invert;
    private final int modelHeight;
    private final int modelWidth;
    /** The model's input as the runtime sees it (grey), for the snapshot's model view; loop thread only. */
    private final Preprocessor modelView;
    private final ThreadPoolExecutor encoder;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Capturing> capture = new AtomicReference<>();
    private volatile boolean snapshotWanted;
    private volatile boolean paused;
    private volatile long refused;

    /**
     * @param invert      whether the runtime inverts frames ({@code --invert}): captures are saved as it sees them
     * @param modelHeight the model's input, for the snapshot's model view
     */
    public CommandDesk(Topics topics, DeviceIdentity identity, MqttLink link, boolean invert, int modelHeight,
                       int modelWidth) {
        this.topics = topics;
        this.identity = identity;
        this.link = link;
        this.invert = invert;
        this.modelHeight = modelHeight;
        this.modelWidth = modelWidth;
        this.modelView = new Preprocessor(modelHeight, modelWidth, invert);
        this.encoder = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_PENDING + 1), r -> {
            Thread t = new Thread(r, "edgeml-commands");
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes one message from the command topic (MQTT thread); never throws. */
    public void accept(byte[] payload, boolean retained) {
        try {
            if (payload.length == 0) {
                return; // what clearing a retained message delivers to subscribers: nothing was asked
            }
            if (retained) {
                throw new DeviceCommand.BadCommand(null, "a retained command is ignored (it would run again at every"
                        + " connect); publish it without the retain flag, and clear the retained one with an empty"
                        + " retained message");
            }
            DeviceCommand command = DeviceCommand.parse(payload);
            LOG.log(Level.INFO, "command: " + command);
            if (command instanceof DeviceCommand.Capture c) {
                capture.set(new Capturing(c, new Preprocessor(c.size(), c.size(), invert)));
            } else if (command instanceof DeviceCommand.Snapshot) {
                snapshotWanted = true;
            } else {
                setPaused(command instanceof DeviceCommand.Pause);
            }
        } catch (DeviceCommand.BadCommand e) {
            refused++;
            LOG.log(Level.WARNING, "command refused: " + e.getMessage());
            link.publishBytes(topics.error(), Messages.commandError(identity, Instant.now(), e.command(), e.getMessage())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "command: " + e);
        }
    }

    private void setPaused(boolean on) {
        if (paused != on) {
            paused = on;
            LOG.log(Level.INFO, on ? "paused: frames are not classified until resume" : "resumed");
        }
        link.publishStatus();
    }

    /** True between a pause and a resume command: the loop reads frames but does not classify them. */
    public boolean paused() {
        return paused;
    }

    /** Commands refused so far. */
    public long refused() {
        return refused;
    }

    /** True while a snapshot or a capture waits for frames. */
    public boolean wantsFrame() {
        return snapshotWanted || capture.get() != null;
    }

    /**
     * Takes what the waiting commands need from this frame (loop thread): a copy for the snapshot, the
     * capture's view of it. The frame's bytes are copied before returning; encoding happens elsewhere.
     *
     * Pictures are grey (the luma a camera gives, or a grey image): a source of colour image files cannot
     * serve them, and the waiting commands are answered on the error topic instead.
     */
    public void serve(Frame frame) {
        if (frame.format() == Frame.Format.RGB) {
            refuseColourFrames();
            return;
        }
        Preprocessor modelInput = modelView;
        if (snapshotWanted && pending.get() < MAX_PENDING) {
            snapshotWanted = false;
            byte[] view = new byte[modelInput.outputSize()];
            modelInput.process(frame.plane(), frame.offset(), frame.width(), frame.height(), frame.stride(), view);
            byte[] luma = copy(frame);
            String origin = frame.origin();
            submit(() -> publishSnapshot(luma, frame.width(), frame.height(), view, origin));
        }
        Capturing c = capture.get();
        if (c != null && pending.get() < MAX_PENDING && c.due(System.nanoTime())) {
            byte[] pixels = new byte[c.preprocessor.outputSize()];
            c.preprocessor.process(frame.plane(), frame.offset(), frame.width(), frame.height(), frame.stride(), pixels);
            int index = c.taken;
            String metadata = captureMetadata(c.command, index, frame);
            submit(() -> link.publishBytes(topics.capture(c.command.label()),
                    PngFrames.encode(pixels, c.command.size(), c.command.size(), metadata)));
            if (index == c.command.count()) {
                capture.compareAndSet(c, null);
                LOG.log(Level.INFO, "capture of " + c.command.count() + " '" + c.command.label() + "' frames done");
            }
        }
    }

    private void refuseColourFrames() {
        Capturing c = capture.getAndSet(null);
        String command = c != null ? "capture" : "snapshot";
        snapshotWanted = false;
        refused++;
        String problem = "this device's source gives colour image files; capture and snapshot take camera or grey frames"
                + " (use --source rpicam, or a folder of grey images)";
        LOG.log(Level.WARNING, "command refused: " + problem);
        link.publishBytes(topics.error(), Messages.commandError(identity, Instant.now(), command, problem)
                .getBytes(StandardCharsets.UTF_8));
    }

    private void submit(Runnable job) {
        pending.incrementAndGet();
        encoder.execute(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "command: could not publish a picture: " + e);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    private static byte[] copy(Frame f) {
        byte[] out = new byte[f.width() * f.height()];
        for (int y = 0; y < f.height(); y++) {
            System.arraycopy(f.plane(), f.offset() + y * f.stride(), out, y * f.width(), f.width());
        }
        return out;
    }

    /** The frame, then a gap, then the model's input scaled up (nearest neighbour) to the frame's height. */
    private void publishSnapshot(byte[] luma, int width, int height, byte[] view, String origin) {
        int gap = 8;
        int viewWidth = Math.max(1, (int) ((long) height * modelWidth / modelHeight));
        int total = width + gap + viewWidth;
        byte[] picture = new byte[total * height];
        java.util.Arrays.fill(picture, (byte) 128);
        for (int y = 0; y < height; y++) {
            System.arraycopy(luma, y * width, picture, y * total, width);
            int vy = (int) ((long) y * modelHeight / height);
            for (int x = 0; x < viewWidth; x++) {
                int vx = (int) ((long) x * modelWidth / viewWidth);
                picture[y * total + width + gap + x] = view[vy * modelWidth + vx];
            }
        }
        Map<String, Object> m = header();
        m.put("source", origin);
        m.put("frame_width", width);
        m.put("frame_height", height);
        m.put("input_width", modelWidth);
        m.put("input_height", modelHeight);
        m.put("invert", invert);
        link.publishBytes(topics.snapshot(), PngFrames.encode(picture, total, height, Json.write(m)));
    }

    private String captureMetadata(DeviceCommand.Capture c, int index, Frame frame) {
        Map<String, Object> m = header();
        m.put("label", c.label());
        if (c.id() != null) {
            m.put("id", c.id());
        }
        m.put("index", index);
        m.put("count", c.count());
        m.put("size", c.size());
        m.put("invert", invert);
        m.put("source", frame.origin());
        return Json.write(m);
    }

    private Map<String, Object> header() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", identity.device());
        m.put("boot", identity.boot());
        m.put("model", identity.model());
        m.put("ts", Messages.iso(Instant.now()));
        return m;
    }

    /** Lets the pictures already taken go out (bounded), then stops the encoder. */
    @Override
    public void close() {
        encoder.shutdown();
        try {
            encoder.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A running capture; its counters belong to the loop's thread. */
    private static final class Capturing {
        final DeviceCommand.Capture command;
        final Preprocessor preprocessor;
        int taken;
        long lastNanos;

        Capturing(DeviceCommand.Capture command, Preprocessor preprocessor) {
            this.command = command;
            this.preprocessor = preprocessor;
        }

        /** True (and counted) when this frame is to be captured: the first, then one per {@code every_ms}. */
        boolean due(long now) {
            if (taken > 0 && now - lastNanos < command.everyMs() * 1_000_000L) {
                return false;
            }
            taken++;
            lastNanos = now;
            return true;
        }
    }
}
