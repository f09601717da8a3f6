package org.edgeml.runtime;

import java.io.PrintStream;
import org.edgeml.core.EdgemlException;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.RunConfigParser;

/**
 * {@code java -jar edge-runtime.jar OPTIONS} (also {@code edgeml run}): runs a model on a frame source
 * and publishes predictions. Exit codes: 0 done or stopped by SIGTERM, 2 bad options or input, 3 a model
 * whose golden vectors this engine does not reproduce, 4 a run that ended with messages the broker never
 * acknowledged.
 */
public final class RuntimeMain {
    /** The run ended, but the broker did not acknowledge every message (see docs/errors.md). */
    public static final int EXIT_UNDELIVERED = 4;

    static {
        // One line per log record: time, level, message.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT %4$s %5$s%6$s%n");
        }
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

    /** Runs until the source ends, {@code --count} is reached or the JVM is asked to stop; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (RunConfigParser.wantsHelp(args)) {
            out.print(RunConfigParser.usage());
            return 0;
        }
        EdgeRuntime runtime;
        RunConfig config;
        try {
            config = RunConfigParser.parse(args);
            runtime = EdgeRuntime.start(config);
        } catch (EdgemlException e) {
            err.println("edgeml-runtime: error: " + e.getMessage());
            return e.exitCode();
        }
        // SIGTERM: end the loop, let close() publish offline and flush, then exit 0 (not the JVM's 143:
        // a service manager should see a clean stop).
        Thread hook = new Thread(() -> {
            runtime.stop();
            Runtime.getRuntime().halt(0);
        }, "edgeml-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runtime.run();
        } finally {
            runtime.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // SIGTERM: the hook is running and waits for this close.
            }
        }
        if (runtime.undelivered() > 0) {
            String dropped = runtime.dropped() > 0 ? " (and " + runtime.dropped() + " dropped earlier)" : "";
            err.println("edgeml-runtime: error: " + runtime.undelivered() + " messages were not delivered" + dropped
                    + ": the broker "
                    + config.broker() + " did not acknowledge them before exit; check that it is running and"
                    + " reachable (or give --persistence-dir DIR to keep them for the next run)");
            return EXIT_UNDELIVERED;
        }
        return 0;
    }
}
