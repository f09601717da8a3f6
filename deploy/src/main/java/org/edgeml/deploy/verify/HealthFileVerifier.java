package org.edgeml.deploy.verify;

import java.time.Duration;
import org.edgeml.deploy.device.Device;

/**
 * Verifies through the runtime's health file on the device, read over SSH once a second. The service step
 * deletes the file between stopping the old process and starting the new one, so whatever is read is new.
 */
public final class HealthFileVerifier implements Verifier {
    private static final long POLL_MILLIS = 1000;

    private final Device device;

    public HealthFileVerifier(Device device) {
        this.device = device;
    }

    @Override
    public void arm() {
        // nothing to do before the restart
    }

    @Override
    public String await(String modelId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (true) {
            String text = device.readHealth();
            HealthReport report = text == null ? null : HealthReport.parse(text);
            if (report != null && report.onlineWith(modelId)) {
                return null;
            }
            if (report != null && report.failed()) {
                return "the runtime reported " + report.describe();
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
