package org.edgeml.host.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal stream (normally stderr, so stdout stays clean for
 * {@code --json}). On a terminal it redraws in place at most ten times a second; elsewhere (logs, CI)
 * it prints a line at every tenth of the way, so logs stay short.
 */
public final class ProgressBar {
    private static final int WIDTH = 28;

    private final PrintStream out;
    private final String title;
    private final long total;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int lastDecile = -1;

    public ProgressBar(PrintStream out, String title, long total) {
        this(out, title, total, System.console() != null && System.getenv("CI") == null);
    }

    public ProgressBar(PrintStream out, String title, long total, boolean interactive) {
        this.out = out;
        this.title = title;
        this.total = Math.max(1, total);
        this.interactive = interactive;
    }

    /** Updates the bar; {@code detail} is appended (loss, bytes, ...). */
    public void update(long done, String detail) {
        long now = System.nanoTime();
        if (interactive) {
            if (done < total && now - lastDrawNanos < 100_000_000L) {
                return;
            }
            lastDrawNanos = now;
            out.print("\r" + line(done, detail, now) + "\u001b[K");
            out.flush();
        } else {
            int decile = (int) Math.min(10, done * 10 / total);
            if (decile != lastDecile && (decile > 0 || done == 0)) {
                lastDecile = decile;
                out.println(line(done, detail, now));
            }
        }
    }

    /** Ends the bar's line. */
    public void finish() {
        if (interactive) {
            out.print("\r\u001b[K");
            out.flush();
        }
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String line(long done, String detail, long now) {
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        double eta = rate > 0 ? (total - done) / rate : 0;
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d %s%s", title, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total,
                done >= total ? String.format(Locale.ROOT, "%.1fs", seconds) : String.format(Locale.ROOT, "ETA %.0fs", eta),
                detail == null || detail.isEmpty() ? "" : "  " + detail);
    }
}
