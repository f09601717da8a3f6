package org.edgeml.runtime.source;

/**
 * One frame per press: waits for the trigger, then returns the first frame that arrived at or after the
 * press (frames captured before it are skipped, so a press never classifies the past). Closing it closes
 * the inner source and the trigger.
 */
public final class TriggeredSource extends WrappedSource {
    private final Trigger trigger;

    public TriggeredSource(FrameSource inner, Trigger trigger) {
        super(inner);
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

    /** Also wakes a {@link #next()} that waits for a press. */
    @Override
    public void close() {
        trigger.close();
        super.close();
    }

    @Override
    public String describe() {
        return inner.describe() + " on button";
    }
}
