package org.edgeml.runtime.source;

import java.util.function.LongSupplier;

/**
 * Delivers at most {@code fps} frames per second from any source ({@code --fps MAX}). It waits before
 * asking the inner source, so a live camera hands over the frame that is newest at that moment; the camera
 * frames overwritten while it waits are the ones {@code --fps} passed over, counted in {@link #skippedByFps()}.
 */
public final class RateLimitedSource extends WrappedSource {

    /** Sleeps for a number of nanoseconds; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long periodNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long nextSlot = Long.MIN_VALUE;
    private volatile long skippedByFps;

    public RateLimitedSource(FrameSource inner, double fps, LongSupplier clock, Sleeper sleeper) {
        super(inner);
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        this.periodNanos = Math.round(1e9 / fps);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public RateLimitedSource(FrameSource inner, double fps) {
        this(inner, fps, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    @Override
    public Frame next() throws InterruptedException {
        long now = clock.getAsLong();
        if (nextSlot != Long.MIN_VALUE && now < nextSlot) {
            long overwrittenBefore = inner.overwritten();
            sleeper.sleepNanos(nextSlot - now);
            skippedByFps += inner.overwritten() - overwrittenBefore;
            now = nextSlot;
        }
        Frame frame = inner.next();
        // The next slot counts from when this frame was due, or from now if the source was slower.
        nextSlot = Math.max(now, clock.getAsLong() - periodNanos) + periodNanos;
        return frame;
    }

    @Override
    public long skippedByFps() {
        return inner.skippedByFps() + skippedByFps;
    }
}
