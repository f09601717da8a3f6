package org.edgeml.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) while a command holds something to clean up: one line on stderr, the cleanup, exit 130
 * (128 + SIGINT, as shells report it). The exit is a halt: the device runtime the demo runs in this JVM
 * has a shutdown hook that would otherwise end the JVM with 0.
 */
final class OnInterrupt implements AutoCloseable {
    static final int EXIT_INTERRUPTED = 130;
    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;
    private final AtomicBoolean fired;

    private OnInterrupt(SignalHandler previous, AtomicBoolean fired) {
        this.previous = previous;
        this.fired = fired;
    }

    /** Until closed, Ctrl-C prints {@code edgeml: <what> interrupted}, runs {@code cleanup} and exits 130. */
    static OnInterrupt install(String what, Runnable cleanup, PrintStream err) {
        AtomicBoolean fired = new AtomicBoolean();
        return new OnInterrupt(Signal.handle(INT, signal -> {
            fired.set(true);
            err.println("edgeml: " + what + " interrupted");
            err.flush();
            try {
                cleanup.run();
            } finally {
                Runtime.getRuntime().halt(EXIT_INTERRUPTED);
            }
        }), fired);
    }

    /**
     * Whether Ctrl-C came: the command's own thread, failing because the cleanup pulled something from under
     * it (the demo's broker), must then leave the exit to the handler rather than report that failure.
     */
    boolean fired() {
        return fired.get();
    }

    /**
     * Until closed, Ctrl-C runs {@code stop} (on the signal's thread) and nothing else: the command ends its work
     * itself, reports, and returns {@link #EXIT_INTERRUPTED}.
     */
    static OnInterrupt stopping(Runnable stop) {
        AtomicBoolean fired = new AtomicBoolean();
        return new OnInterrupt(Signal.handle(INT, signal -> {
            fired.set(true);
            stop.run();
        }), fired);
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
