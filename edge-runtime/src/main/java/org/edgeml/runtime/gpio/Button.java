package org.edgeml.runtime.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.edgeml.runtime.source.Trigger;

/**
 * A push button between the pin and ground (internal pull-up, debounced by Pi4J): each press, the falling
 * edge, is one trigger. Presses made while a few are already waiting are ignored.
 */
final class Button implements Trigger, AutoCloseable {
    private static final long CLOSED = Long.MIN_VALUE;

    private final DigitalInput pin;
    private final BlockingQueue<Long> presses = new ArrayBlockingQueue<>(4);
    private final DigitalStateChangeListener listener;
    private volatile boolean closed;

    Button(DigitalInput pin) {
        this.pin = pin;
        this.listener = event -> {
            if (event.state().isLow()) {
                presses.offer(System.nanoTime());
            }
        };
        pin.addListener(listener);
    }

    @Override
    public long awaitPress() throws InterruptedException {
        if (closed) {
            return -1;
        }
        long t = presses.take();
        if (t == CLOSED) {
            presses.offer(CLOSED);
            return -1;
        }
        return t;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pin.removeListener(listener);
        presses.clear();
        presses.offer(CLOSED);
    }
}
