package org.edgeml.deploy.verify;

import java.time.Duration;
import org.edgeml.deploy.device.Device;

/**
 * Verifies through the runtime's health file on the device, read over SSH once a second. The service step
 * deletes the file between stopping the old process and starting the new one; the run it named before the
 * restart is remembered all the same, so a file the old process writes late never passes for the new one.
 */
public final class HealthFileVerifier implements Verifier {
    private static final long POLL_MILLIS = 1000;

    private final Device device;
    private final RunsSeen seen = new RunsSeen();

    public HealthFileVerifier(Device device) {
        this.device = device;
    }

    @Override
    public void arm() {
        // nothing to do before the upload
    }

    @Override
    public void beforeRestart() {
        String text = device.readHealth();
        seen.add(text == null ? null : HealthReport.parse(text));
    }

    @Override
    public String await(String modelId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (true) {
            String text = device.readHealth();
            HealthReport report = text == null ? null : HealthReport.parse(text);
            RunsSeen.Verdict verdict = seen.judge(report, modelId);
            if (verdict.decided()) {
                return verdict.problem();
            }
            if (text != null) {
                last = report == null ? "unreadable health file" : report.describe();
            }
            if (System.nanoTime() > deadline) {
                return "the runtime did not report online with model " + modelId + " within " + timeout.toSeconds() + " s ("
                        + (last == null ? "no health file " + device.healthFile() : "last report: " + last) + ")";
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for the runtime";
            }
        }
    }
}
