package org.edgeml.runtime.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An LED that blinks without blocking the caller: on now, off after the pulse on a timer thread; a blink
 * during a pulse extends it. A failing pin is logged once and then left alone.
 */
final class Led implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Led.class.getName());

    private final DigitalOutput pin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gpio-led");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> off;
    private boolean broken;

    Led(DigitalOutput pin) {
        this.pin = pin;
    }

    synchronized void blink(int millis) {
        if (broken) {
            return;
        }
        try {
            if (off != null) {
                off.cancel(false);
            }
            pin.high();
            off = timer.schedule(this::off, millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            broken = true;
            LOG.log(Level.WARNING, "GPIO: the LED failed and is left off: " + e.getMessage());
        }
    }

    private synchronized void off() {
        try {
            pin.low();
        } catch (RuntimeException e) {
            broken = true;
            LOG.log(Level.WARNING, "GPIO: the LED failed and is left off: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (!broken) {
            off();
        }
    }
}
