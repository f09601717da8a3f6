package org.edgeml.runtime.source;

/** A source that changes when frames are taken from another one and passes everything else through. */
abstract class WrappedSource implements FrameSource {
    protected final FrameSource inner;

    WrappedSource(FrameSource inner) {
        this.inner = inner;
    }

    @Override
    public String describe() {
        return inner.describe();
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
    public String state() {
        return inner.state();
    }

    public long overwritten() {
        return inner.overwritten();
    }

    @Override
    public long skippedByFps() {
        return inner.skippedByFps();
    }

    @Override
    public long watchOverflows() {
        return inner.watchOverflows();
    }

    @Override
    public long layoutMismatches() {
        return inner.layoutMismatches();
    }

    @Override
    public void close() {
        inner.close();
    }
}
