package org.edgeml.runtime.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.source.Trigger;

/**
 * The LED and the button, through Pi4J 2.x with whatever providers it detects (gpiod on a Pi 5 and on
 * current Raspberry Pi OS; nothing is hard-coded, pigpio in particular). When there is no GPIO (not a Pi,
 * no permission, no providers) it logs {@code GPIO off: <reason>} once and everything else carries on:
 * {@link #blink()} does nothing and {@link #button()} is empty.
 */
public final class Gpio implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Gpio.class.getName());
    /** Long enough to see, short enough not to merge at 10 predictions per second. */
    static final int BLINK_MILLIS = 40;
    static final long DEBOUNCE_MILLIS = 20;

    private final Context context;
    private final Led led;
    private final Button button;
    private final String offReason;
    private boolean closed;

    private Gpio(Context context, Led led, Button button, String offReason) {
        this.context = context;
        this.led = led;
        this.button = button;
        this.offReason = offReason;
    }

    /** Opens the pins with Pi4J's auto-detected providers. Pins may be {@link RunConfig#NO_PIN}. */
    public static Gpio open(int ledPin, int buttonPin) {
        return open(Pi4J::newAutoContext, ledPin, buttonPin);
    }

    /** Opens the pins on the context the factory gives (tests pass Pi4J's mock platform). */
    public static Gpio open(Supplier<Context> contexts, int ledPin, int buttonPin) {
        if (ledPin == RunConfig.NO_PIN && buttonPin == RunConfig.NO_PIN) {
            return new Gpio(null, null, null, "no --led or --button given");
        }
        Context context = null;
        try {
            context = contexts.get();
            Led led = ledPin == RunConfig.NO_PIN ? null : new Led(context.create(DigitalOutput.newConfigBuilder(context)
                    .id("led").name("prediction LED").address(ledPin)
                    .initial(DigitalState.LOW).shutdown(DigitalState.LOW)));
            Button button = buttonPin == RunConfig.NO_PIN ? null : new Button(context.create(DigitalInput.newConfigBuilder(context)
                    .id("button").name("capture button").address(buttonPin)
                    .pull(PullResistance.PULL_UP).debounce(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS)));
            LOG.log(Level.INFO, "GPIO on:" + (led == null ? "" : " LED on GPIO " + ledPin)
                    + (button == null ? "" : " button on GPIO " + buttonPin));
            return new Gpio(context, led, button, null);
        } catch (Exception | LinkageError e) {
            String reason = reason(e);
            LOG.log(Level.WARNING, "GPIO off: " + reason);
            if (context != null) {
                shutdown(context);
            }
            return new Gpio(null, null, null, reason);
        }
    }

    private static String reason(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.contains("No gpio chip")) {
            return "no GPIO chip found (not a Raspberry Pi, or no access to /dev/gpiochip*: add the user to group gpio)";
        }
        if (msg.contains("could not be found")) {
            return "Pi4J found no GPIO provider for this machine";
        }
        return msg;
    }

    /** True when at least one pin is in use. */
    public boolean isOn() {
        return offReason == null;
    }

    /** Why GPIO is off, or empty when it is on. */
    public Optional<String> offReason() {
        return Optional.ofNullable(offReason);
    }

    /** A short pulse of the LED; returns at once. Does nothing without an LED. */
    public void blink() {
        if (led != null) {
            led.blink(BLINK_MILLIS);
        }
    }

    /** The button as a trigger, when one was opened. */
    public Optional<Trigger> button() {
        return Optional.ofNullable(button);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (button != null) {
            button.close();
        }
        if (led != null) {
            led.close();
        }
        if (context != null) {
            shutdown(context);
        }
    }

    private static void shutdown(Context context) {
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "GPIO shutdown: " + e.getMessage());
        }
    }
}
