package org.edgeml.runtime.source;

/**
 * One frame per press: waits for the trigger, then returns the first frame that arrived at or after the
 * press (frames captured before it are skipped, so a press never classifies the past).
 */
public final class TriggeredSource implements FrameSource {
    private final FrameSource inner;
    private final Trigger trigger;

    public TriggeredSource(FrameSource inner, Trigger trigger) {
        this.inner = inner;
        this.trigger = trigger;
    }

    @Override
    public Frame next() throws InterruptedException {
        long pressed = trigger.awaitPress();
        if (pressed == -1) {
            return null;
        }
        while (true) {
            Frame frame = inner.next();
            if (frame == null || frame.arrivalNanos() - pressed >= 0) {
                return frame;
            }
        }
    }

    @Override
    public String describe() {
        return inner.describe() + " on button";
    }

    @Override
    public long restarts() {
        return inner.restarts();
    }

    @Override
    public long skipped() {
        return inner.skipped();
    }

    @Override
    public void close() {
        inner.close();
    }
}
