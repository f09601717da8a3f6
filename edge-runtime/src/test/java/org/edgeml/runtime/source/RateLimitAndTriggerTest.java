package org.edgeml.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitAndTriggerTest {

    /** Frames stamped with a fake clock; each next() advances the clock by {@code cost}. */
    static class ClockedSource implements FrameSource {
        final long[] clock;
        final long cost;
        long seq;

        ClockedSource(long[] clock, long cost) {
            this.clock = clock;
            this.cost = cost;
        }

        @Override
        public Frame next() {
            clock[0] += cost;
            return new Frame(new byte[1], 0, 1, 1, 1, seq++, "t", Frame.NO_LABEL, clock[0]);
        }

        @Override
        public String describe() {
            return "clocked";
        }

        @Override
        public void close() {}
    }

    @Test
    void sleepsSoFramesComeNoFasterThanTheLimit() throws Exception {
        long[] clock = {0};
        List<Long> sleeps = new ArrayList<>();
        FrameSource limited = new RateLimitedSource(new ClockedSource(clock, 10_000_000), 10, () -> clock[0], n -> {
            sleeps.add(n);
            clock[0] += n;
        });
        for (int i = 0; i < 4; i++) {
            limited.next();
        }
        assertEquals(List.of(90_000_000L, 90_000_000L, 90_000_000L), sleeps);
        assertEquals(310_000_000L, clock[0]);
    }

    /**
     * A camera at 100 frames/s under {@code --fps 10}: during each 90 ms wait it overwrites 9 unclaimed frames,
     * which --fps passed over; overwrites while the consumer was busy are not blamed on --fps.
     */
    @Test
    void cameraFramesOverwrittenWhileWaitingForTheNextSlotAreCountedAsSkippedByFps() throws Exception {
        long[] clock = {0};
        long[] overwritten = {0};
        FrameSource camera = new ClockedSource(clock, 10_000_000) {
            @Override
            public long overwritten() {
                return overwritten[0];
            }
        };
        FrameSource limited = new RateLimitedSource(camera, 10, () -> clock[0], n -> {
            overwritten[0] += n / 10_000_000;
            clock[0] += n;
        });
        for (int i = 0; i < 4; i++) {
            limited.next();
            overwritten[0] += 2; // the classifier was busy for two camera frames
        }
        assertEquals(3 * 9, limited.skippedByFps());
        assertEquals(3 * 9 + 4 * 2, limited.overwritten());
    }

    @Test
    void aSlowSourceIsNotMadeSlower() throws Exception {
        long[] clock = {0};
        List<Long> sleeps = new ArrayList<>();
        FrameSource limited = new RateLimitedSource(new ClockedSource(clock, 300_000_000), 10, () -> clock[0], sleeps::add);
        for (int i = 0; i < 3; i++) {
            limited.next();
        }
        assertEquals(List.of(), sleeps);
    }

    @Test
    void aPressTakesTheFirstFrameAfterIt() throws Exception {
        long[] clock = {0};
        Deque<Long> presses = new ArrayDeque<>(List.of(35L, 36L));
        FrameSource triggered = new TriggeredSource(new ClockedSource(clock, 10),
                () -> presses.isEmpty() ? -1 : presses.poll());
        assertEquals(40, triggered.next().arrivalNanos());
        assertEquals(50, triggered.next().arrivalNanos());
        assertNull(triggered.next());
    }
}
