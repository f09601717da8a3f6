package org.edgeml.runtime;

import com.pi4j.Pi4J;
import org.edgeml.runtime.config.RunConfigParser;
import org.edgeml.runtime.gpio.Gpio;

/** Runs the device runtime in this JVM for other modules' tests: started, its loop on a thread, GPIO off. */
public final class EdgeRuntimeForTests {
    private EdgeRuntimeForTests() {}

    /** A runtime whose loop runs on its own thread; {@link #close()} stops it as a signal would. */
    public static final class Running implements AutoCloseable {
        private final EdgeRuntime runtime;
        private final Thread loop;

        private Running(EdgeRuntime runtime) {
            this.runtime = runtime;
            this.loop = new Thread(() -> {
                try {
                    runtime.run();
                } finally {
                    runtime.close();
                }
            }, "test-runtime-loop");
            loop.start();
        }

        public EdgeRuntime runtime() {
            return runtime;
        }

        @Override
        public void close() throws InterruptedException {
            runtime.stop();
            loop.join();
        }
    }

    /** Starts the runtime with {@code edgeml run}'s arguments (connected, or waited 5 s for the broker). */
    public static Running start(String... args) {
        return new Running(Startup.prepare(RunConfigParser.parse(args),
                (led, button) -> Gpio.open(() -> Pi4J.newContextBuilder().build(), led, button)));
    }
}
