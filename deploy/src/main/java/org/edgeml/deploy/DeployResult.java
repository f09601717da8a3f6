package org.edgeml.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a deploy (or rollback) to one host ended. {@code release} is {@code null} when none was made;
 * {@code rollback} is {@code null} unless the deploy switched back to the previous release.
 */
public record DeployResult(String host, String release, Outcome outcome, double seconds, String message, RollbackCheck rollback) {

    public enum Outcome {
        /** The new release is current and verified. */
        DEPLOYED,
        /** Dry run: the plan was printed, nothing changed. */
        PLANNED,
        /** The new release failed verification; the previous one is current again and verified online. */
        ROLLED_BACK,
        /** The new release failed verification, and the previous one, current again, did not come up either. */
        ROLLBACK_FAILED,
        /** The deploy stopped; nothing was changed, or the failure message says what state the device is in. */
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * The check of a rollback: whether the previous {@code release}, switched back to, came up online with its
     * model as a new process; {@code problem} says why not.
     */
    public record RollbackCheck(String release, boolean verified, String problem) {}

    /** A result without a rollback. */
    public DeployResult(String host, String release, Outcome outcome, double seconds, String message) {
        this(host, release, outcome, seconds, message, null);
    }

    public boolean succeeded() {
        return outcome == Outcome.DEPLOYED || outcome == Outcome.PLANNED;
    }

    /** The result as {@code deploy --json} prints it (keys documented in docs/deploy.md). */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("host", host);
        o.put("release", release);
        o.put("outcome", outcome);
        o.put("ok", succeeded());
        o.put("seconds", Math.round(seconds * 10) / 10.0);
        o.put("message", message);
        if (rollback != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("release", rollback.release());
            r.put("verified", rollback.verified());
            r.put("problem", rollback.problem());
            o.put("rollback", r);
        } else {
            o.put("rollback", null);
        }
        return o;
    }
}
