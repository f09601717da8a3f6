package org.edgeml.runtime;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.LogFormat;
import org.edgeml.core.Version;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.RunConfigParser;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code java -jar edge-runtime.jar OPTIONS} (also {@code edgeml run}): runs a model on a frame source
 * and publishes predictions. Exit codes: 0 done or stopped by SIGTERM, 2 bad options or input, 3 a model
 * whose golden vectors this engine does not reproduce, 4 a run that ended with messages the broker never
 * acknowledged, 130 interrupted by SIGINT (Ctrl-C).
 */
public final class RuntimeMain {
    /** The run ended, but the broker did not acknowledge every message (see docs/errors.md). */
    public static final int EXIT_UNDELIVERED = 4;

    /** The exit code of a run ended by SIGINT (Ctrl-C), as shells report 128 + signal 2. */
    public static final int EXIT_INTERRUPTED = 130;

    static {
        LogFormat.install();
    }

    private RuntimeMain() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Throwable t) {
            // Whatever went wrong, exit: MQTT threads must not keep a broken runtime alive.
            System.err.println("edgeml-runtime: internal error: " + t);
            t.printStackTrace();
            code = 70;
        }
        System.exit(code);
    }

    /** Runs until the source ends, {@code --count} is reached or a signal stops it; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (RunConfigParser.wantsHelp(args)) {
            out.print(RunConfigParser.usage());
            return 0;
        }
        if (RunConfigParser.wantsVersion(args)) {
            out.println("edgeml " + Version.current());
            return 0;
        }
        // SIGTERM and SIGINT end the loop on this thread, which then closes the runtime in order (offline status,
        // flush, GPIO) and returns: 0 for SIGTERM (a service manager should see a clean stop), 130 for Ctrl-C. A
        // signal during start-up stops the runtime as soon as it is up.
        AtomicReference<String> stoppedBy = new AtomicReference<>();
        AtomicReference<EdgeRuntime> started = new AtomicReference<>();
        Map<Signal, SignalHandler> previous = handleSignals(signal -> {
            stoppedBy.compareAndSet(null, signal.getName());
            EdgeRuntime runtime = started.get();
            if (runtime != null) {
                runtime.stop();
            }
        });
        EdgeRuntime runtime;
        RunConfig config;
        try {
            try {
                config = RunConfigParser.parse(args);
                runtime = EdgeRuntime.start(config);
            } catch (EdgemlException e) {
                err.println("edgeml-runtime: error: " + e.getMessage());
                return e.exitCode();
            }
            started.set(runtime);
            if (stoppedBy.get() != null) {
                runtime.stop();
            }
            run(runtime, previous.size() == 2);
        } finally {
            previous.forEach(Signal::handle);
        }
        if (runtime.undelivered() > 0) {
            String dropped = runtime.dropped() > 0 ? " (and " + runtime.dropped() + " dropped earlier)" : "";
            err.println("edgeml-runtime: error: " + runtime.undelivered() + " messages were not delivered" + dropped
                    + ": the broker " + config.broker() + " did not acknowledge them before exit; check that it is"
                    + " running and reachable (or give --persistence-dir DIR to keep them for the next run)");
            return EXIT_UNDELIVERED;
        }
        return "INT".equals(stoppedBy.get()) ? EXIT_INTERRUPTED : 0;
    }

    private static void run(EdgeRuntime runtime, boolean signalsHandled) {
        Thread hook = signalsHandled ? null : shutdownHook(runtime);
        try {
            runtime.run();
        } finally {
            runtime.close();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and waits for this close
                }
            }
        }
    }

    /** Installs {@code handler} for SIGTERM and SIGINT; returns the handlers it replaced, to put back. */
    private static Map<Signal, SignalHandler> handleSignals(SignalHandler handler) {
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, handler));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM keeps this signal to itself (e.g. -Xrs): the shutdown hook stops the runtime instead
            }
        }
        return previous;
    }

    /** Where signals cannot be handled: stop the runtime as the JVM exits, waiting (bounded) for its close. */
    private static Thread shutdownHook(EdgeRuntime runtime) {
        Thread hook = new Thread(() -> {
            runtime.stop();
            try {
                runtime.awaitClosed(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "edgeml-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
