package org.edgeml.deploy.verify;

import java.util.HashSet;
import java.util.Set;

/**
 * The runtime processes (boot ids) seen before a restart, so that only a process started by the restart can
 * pass verification: the old runtime may keep publishing (or its health file may linger) with the same model,
 * and that must never count as the new one coming up.
 */
final class RunsSeen {
    /**
     * What one report decides: nothing yet ({@code decided} false: an old process, another state, or a report
     * naming no run), or the verifier's answer, {@code problem} ({@code null} when a new process is up).
     */
    record Verdict(boolean decided, String problem) {
        static final Verdict WAITING = new Verdict(false, null);
        static final Verdict UP = new Verdict(true, null);
    }

    private final Set<String> before = new HashSet<>();

    void add(HealthReport report) {
        if (report != null && report.run() != null) {
            before.add(report.run());
        }
    }

    Verdict judge(HealthReport report, String modelId) {
        if (report == null || report.run() != null && before.contains(report.run())) {
            return Verdict.WAITING;
        }
        if (report.failed()) {
            return new Verdict(true, "the runtime reported " + report.describe());
        }
        return report.onlineWith(modelId) && report.run() != null ? Verdict.UP : Verdict.WAITING;
    }
}
