package org.edgeml.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.edgeml.deploy.device.ServiceMode;

/**
 * What to deploy and how, the same for every host of a run.
 *
 * @param service      {@code null} to use systemd where it runs and the supervisor elsewhere
 * @param verifyBroker the broker URL as this machine reaches it, when it differs from the device's {@code --broker}
 * @param rotateTrust  replace the trusted key pinned on the device by the release's ({@code --rotate-trust})
 */
public record DeployRequest(Path model, String modelId, Path runtimeJar, String releaseId, String prefix,
                            List<String> jvmOptions, ServiceMode service, boolean installJava, boolean dryRun,
                            VerifyMode verify, String verifyBroker, Duration verifyTimeout, int keep,
                            boolean rotateTrust) {

    /** A request that keeps the device's pinned trusted key. */
    public DeployRequest(Path model, String modelId, Path runtimeJar, String releaseId, String prefix,
                         List<String> jvmOptions, ServiceMode service, boolean installJava, boolean dryRun,
                         VerifyMode verify, String verifyBroker, Duration verifyTimeout, int keep) {
        this(model, modelId, runtimeJar, releaseId, prefix, jvmOptions, service, installJava, dryRun, verify,
                verifyBroker, verifyTimeout, keep, false);
    }

    /** How to tell that the new runtime is up. */
    public enum VerifyMode {
        /** MQTT when the device's broker is a tcp:// or ssl:// URL this machine can reach, else the health file. */
        AUTO,
        MQTT,
        HEALTH
    }

    public DeployRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(runtimeJar, "runtimeJar");
        Objects.requireNonNull(releaseId, "releaseId");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(verify, "verify");
        jvmOptions = List.copyOf(jvmOptions);
        if (verifyTimeout.isNegative() || verifyTimeout.isZero()) {
            throw new org.edgeml.core.EdgemlException("--verify-timeout must be positive");
        }
        if (keep < 2) {
            throw new IllegalArgumentException("keep at least the current and the previous release");
        }
    }
}
