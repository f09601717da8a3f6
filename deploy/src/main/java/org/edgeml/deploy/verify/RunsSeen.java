package org.edgeml.deploy.verify;

import java.util.HashSet;
import java.util.Set;

/**
 * The runtime processes (boot ids) seen before a restart, so that only a process started by the restart can
 * pass verification: the old runtime may keep publishing (or its health file may linger) with the same model,
 * and that must never count as the new one coming up.
 */
final class RunsSeen {
    enum Verdict {
        /** A new process is online with the model. */
        UP,
        /** A new process reported an error. */
        FAILED,
        /** Nothing decided yet: an old process, another state, or a report that names no run. */
        WAITING
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
            return Verdict.FAILED;
        }
        return report.onlineWith(modelId) && report.run() != null ? Verdict.UP : Verdict.WAITING;
    }
}
