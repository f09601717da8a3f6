package org.edgeml.runtime;

import java.io.PrintStream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.LogFormat;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.RunConfigParser;

/**
 * {@code java -jar edge-runtime.jar OPTIONS} (also {@code edgeml run}): runs a model on a frame source
 * and publishes predictions. Exit codes: 0 done or stopped by SIGTERM, 2 bad options or input, 3 a model
 * whose golden vectors this engine does not reproduce.
 */
public final class RuntimeMain {
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

    /** Runs until the source ends, {@code --count} is reached or the JVM is asked to stop; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (RunConfigParser.wantsHelp(args)) {
            out.print(RunConfigParser.usage());
            return 0;
        }
        EdgeRuntime runtime;
        try {
            RunConfig config = RunConfigParser.parse(args);
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
        return 0;
    }
}
