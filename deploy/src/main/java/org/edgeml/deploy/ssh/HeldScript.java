package org.edgeml.deploy.ssh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A remote script that keeps running (say, holding a lock) until it is closed, as {@link RemoteShell#hold}
 * started it; or, when it ended before saying it was ready, what it said instead.
 */
public final class HeldScript implements AutoCloseable {
    private final Process process;
    private final RemoteResult refusal;

    private HeldScript(Process process, RemoteResult refusal) {
        this.process = process;
        this.refusal = refusal;
    }

    static HeldScript holding(Process process) {
        return new HeldScript(process, null);
    }

    static HeldScript refused(RemoteResult result) {
        return new HeldScript(null, result);
    }

    public boolean isHeld() {
        return refusal == null;
    }

    /** What the script said when it ended without being ready; {@code null} while held. */
    public RemoteResult refusal() {
        return refusal;
    }

    /** Closes the script's stdin, which ends it, and waits a little for it. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
