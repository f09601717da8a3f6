package org.edgeml.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.edgeml.runtime.mqtt.MqttLink;
import org.edgeml.runtime.mqtt.StatusCounters;
import org.edgeml.runtime.mqtt.StatusCounters.SourceLosses;
import org.edgeml.runtime.source.FrameSource;

/**
 * Publishes the retained status and rewrites the health file from its own thread, every
 * {@code --status-interval} and at once when the camera's state or restart count changes (or, once the broker is
 * back, the number of dropped messages): a camera that hangs or a button nobody presses blocks the frame loop,
 * never the status.
 */
final class StatusTimer implements AutoCloseable {
    private static final long TICK_MILLIS = 1000;

    private final FrameLoop loop;
    private final FrameSource source;
    private final MqttLink link;
    private final HealthFile health;
    private final CpuTemperature temperature;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;

    // Touched by the timer's thread only, but for fps, which the MQTT thread reads too.
    private long lastPublishNanos;
    private long framesAtLastPublish;
    private long lastRestarts;
    private String lastCamera = "running";
    private long lastDropped;
    private volatile double fps;

    private final java.util.function.BooleanSupplier paused;

    StatusTimer(FrameLoop loop, FrameSource source, MqttLink link, HealthFile health, CpuTemperature temperature,
                Duration interval, java.util.function.BooleanSupplier paused) {
        this.paused = paused;
        this.loop = loop;
        this.source = source;
        this.link = link;
        this.health = health;
        this.temperature = temperature;
        this.intervalNanos = interval.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeml-status");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        lastPublishNanos = System.nanoTime();
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The counters now, for the status (also when the link publishes it on connecting). */
    StatusCounters counters() {
        return new StatusCounters(loop.frames(), loop.unusable() + source.skipped(), source.overwritten(), fps,
                source.state(), source.restarts(), loop.predictions(), temperature.celsius(), SourceLosses.of(source),
                paused.getAsBoolean());
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            long restarts = source.restarts();
            String camera = source.state();
            long dropped = link.dropped();
            boolean due = now - lastPublishNanos >= intervalNanos;
            boolean cameraChanged = restarts != lastRestarts || !camera.equals(lastCamera);
            boolean dropsToReport = dropped != lastDropped && link.isConnected();
            if (!due && !cameraChanged && !dropsToReport) {
                return;
            }
            long frames = loop.frames();
            fps = (frames - framesAtLastPublish) / ((now - lastPublishNanos) / 1e9);
            framesAtLastPublish = frames;
            lastPublishNanos = now;
            lastRestarts = restarts;
            lastCamera = camera;
            lastDropped = dropped;
            link.publishStatus();
            health.write("online", link.isConnected(), dropped, counters(), null);
        } catch (RuntimeException e) {
            System.getLogger(StatusTimer.class.getName()).log(System.Logger.Level.WARNING, "status: " + e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
