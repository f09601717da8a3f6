package org.edgeml.runtime.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.source.Trigger;
import org.junit.jupiter.api.Test;

/** Gpio on Pi4J's mock platform. */
class GpioTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    private static Context mockContext(AtomicReference<Context> holder) {
        Context c = Pi4J.newContextBuilder()
                .add(MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance())
                .build();
        holder.set(c);
        return c;
    }

    @Test
    void theLedPulsesWithoutBlockingAndGoesOff() {
        AtomicReference<Context> ctx = new AtomicReference<>();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Gpio gpio = Gpio.open(() -> mockContext(ctx), 17, RunConfig.NO_PIN)) {
                assertTrue(gpio.isOn());
                DigitalOutput led = ctx.get().registry().get("led", DigitalOutput.class);
                assertEquals(DigitalState.LOW, led.state());
                gpio.blink();
                assertEquals(DigitalState.HIGH, led.state());
                while (led.state() != DigitalState.LOW) {
                    Thread.sleep(5);
                }
                assertTrue(gpio.button().isEmpty());
            }
        });
    }

    @Test
    void eachPressOfTheButtonIsOneTrigger() {
        AtomicReference<Context> ctx = new AtomicReference<>();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Gpio gpio = Gpio.open(() -> mockContext(ctx), RunConfig.NO_PIN, 22)) {
                Trigger button = gpio.button().orElseThrow();
                MockDigitalInput pin = ctx.get().registry().get("button", MockDigitalInput.class);
                long before = System.nanoTime();
                pin.mockState(DigitalState.HIGH);
                pin.mockState(DigitalState.LOW);
                assertTrue(button.awaitPress() >= before);
                pin.mockState(DigitalState.HIGH);
                new Thread(() -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ignored) {
                        // close anyway
                    }
                    gpio.close();
                }).start();
                assertEquals(-1, button.awaitPress());
            }
        });
    }

    @Test
    void withoutProvidersGpioIsOffAndHarmless() {
        try (Gpio gpio = Gpio.open(() -> Pi4J.newContextBuilder().build(), 17, 22)) {
            assertFalse(gpio.isOn());
            assertTrue(gpio.offReason().isPresent());
            gpio.blink();
            assertTrue(gpio.button().isEmpty());
        }
    }

    @Test
    void aFailingPlatformTurnsGpioOff() {
        try (Gpio gpio = Gpio.open(() -> {
            throw new IllegalStateException("No gpio chip yet initialized!");
        }, 17, RunConfig.NO_PIN)) {
            assertEquals("no GPIO chip found (not a Raspberry Pi, or no access to /dev/gpiochip*: add the user to group gpio)",
                    gpio.offReason().orElseThrow());
        }
    }

    @Test
    void noPinsMeansOffWithoutTouchingPi4j() {
        try (Gpio gpio = Gpio.open(() -> {
            throw new AssertionError("must not be called");
        }, RunConfig.NO_PIN, RunConfig.NO_PIN)) {
            assertFalse(gpio.isOn());
        }
    }
}
