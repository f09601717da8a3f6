package org.edgeml.runtime;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.runtime.command.CommandDesk;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.gpio.Gpio;
import org.edgeml.runtime.mqtt.DeviceIdentity;
import org.edgeml.runtime.mqtt.MqttLink;
import org.edgeml.runtime.mqtt.MqttSettings;
import org.edgeml.runtime.mqtt.StatusCounters;
import org.edgeml.runtime.mqtt.Topics;
import org.edgeml.runtime.source.FrameSource;

/**
 * What runs on the device, once {@link Startup} prepared it: the {@link FrameLoop} on the caller's thread, the
 * {@link StatusTimer} beside it, and an orderly end. {@link #stop()} (from a signal) ends the loop wherever it
 * waits (a frame, a button press); {@link #close()} then stops the camera, publishes the offline status, lets
 * buffered messages go out and releases the GPIO.
 */
public final class EdgeRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EdgeRuntime.class.getName());
    public static final String VERSION = Startup.VERSION;

    private final RunConfig config;
    private final LoadedModel model;
    private final HealthFile health;
    private final FrameSource source;
    private final Gpio gpio;
    private final MqttLink link;
    private final FrameLoop loop;
    private final StatusTimer timer;
    private final CommandDesk commands;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread loopThread;
    private boolean isClosed;

    EdgeRuntime(RunConfig config, LoadedModel model, DeviceIdentity identity, HealthFile health, FrameSource source,
                Gpio gpio, Function<Supplier<StatusCounters>, MqttLink> links, CpuTemperature temperature) {
        this.config = config;
        this.model = model;
        this.health = health;
        this.source = source;
        this.gpio = gpio;
        // The link reports the timer's counters, read only once the link is started (connect), after both exist.
        this.link = links.apply(this::counters);
        this.commands = new CommandDesk(new Topics(config.topicPrefix(), config.device()), identity, link,
                config.invert(), model.model().input().height(), model.model().input().width());
        if (config.commands()) {
            link.onCommands(commands::accept);
        }
        this.loop = new FrameLoop(source, new ModelInput(model.model().input(), config.invert()), new Int8Engine(model.model()), link, identity, gpio::blink,
                config.publish(), config.threshold(), config.count(), model.model().labels(), commands);
        this.timer = new StatusTimer(loop, source, link, health, temperature,
                Duration.ofSeconds(config.statusIntervalSeconds()), commands::paused);
    }

    private StatusCounters counters() {
        return timer.counters();
    }

    /**
     * Loads and checks the model, opens the source and the GPIO, connects (waiting a little for the broker) and
     * starts the status timer.
     *
     * @throws org.edgeml.core.EdgemlException exit code 2 for bad input, 3 for a refused model
     */
    public static EdgeRuntime start(RunConfig config) {
        return Startup.prepare(config);
    }

    /** Starts connecting, records the runtime as online, and waits up to {@code wait} for the broker. */
    void connect(Duration wait) {
        link.start();
        health.write("online", link.isConnected(), 0, timer.counters(), null);
        timer.start();
        try {
            if (!link.awaitConnected(wait)) {
                log("broker " + config.broker() + " not reachable yet (" + link.lastError() + "); running anyway,"
                        + " buffering up to " + config.offlineBuffer() + " messages");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Classifies frames until the source ends, {@code --count} predictions were made, or {@link #stop()}. */
    public void run() {
        loopThread = Thread.currentThread();
        try {
            loop.run();
        } finally {
            loopThread = null;
            Thread.interrupted(); // a stop() that interrupted the loop must not cut the flush short
        }
        log("stopped after " + loop.predictions() + " predictions (" + loop.published() + " published, "
                + link.dropped() + " dropped)");
    }

    /**
     * Ends the loop from another thread (a signal): wakes a read waiting for a frame or a button press. Returns
     * at once; {@link #awaitClosed} waits for the orderly end.
     */
    public void stop() {
        loop.stop();
        source.close();
        Thread t = loopThread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Waits, bounded, until {@link #close()} finished; true when it did. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public LoadedModel model() {
        return model;
    }

    public long predictions() {
        return loop.predictions();
    }

    /** After {@link #close()}: messages the broker never acknowledged. */
    public long undelivered() {
        return link.undelivered();
    }

    /** Messages dropped from the full offline buffer or refused by the client. */
    public long dropped() {
        return link.dropped();
    }

    /** Stops the timer and the camera, publishes offline, flushes in-flight messages and releases GPIO. */
    @Override
    public synchronized void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        timer.close();
        source.close();
        StatusCounters last = timer.counters();
        commands.close();
        flush();
        link.close();
        long dropped = link.dropped();
        gpio.close();
        health.write("offline", false, dropped, last, null);
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
}
