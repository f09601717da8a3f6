package org.edgeml.deploy;

/** How a deploy (or rollback) to one host ended. {@code release} is {@code null} when none was made. */
public record DeployResult(String host, String release, Outcome outcome, double seconds, String message) {

    public enum Outcome {
        /** The new release is current and verified. */
        DEPLOYED,
        /** Dry run: the plan was printed, nothing changed. */
        PLANNED,
        /** The new release failed verification; the previous one is current again. */
        ROLLED_BACK,
        /** The deploy stopped; nothing was changed, or the failure message says what state the device is in. */
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    public boolean succeeded() {
        return outcome == Outcome.DEPLOYED || outcome == Outcome.PLANNED;
    }
}
