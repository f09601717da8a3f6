package org.edgeml.runtime.source;

/** Something a person presses to capture one frame ({@code --trigger button}). */
public interface Trigger {

    /**
     * Blocks until the next press and returns its {@link System#nanoTime()}, or {@code -1} once the trigger
     * is closed.
     */
    long awaitPress() throws InterruptedException;

    /** Wakes an {@link #awaitPress()} that is waiting, which then returns {@code -1}; later calls too. */
    default void close() {
    }
}
