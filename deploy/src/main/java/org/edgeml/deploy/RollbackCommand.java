package org.edgeml.deploy;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.deploy.device.Device;
import org.edgeml.deploy.device.DeviceStatus;
import org.edgeml.deploy.device.Installation;
import org.edgeml.deploy.ssh.HeldScript;
import org.edgeml.deploy.ssh.SshTarget;
import org.edgeml.deploy.verify.HealthFileVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeml rollback --host [user@]HOST[:PORT] [--to RELEASE]}. */
@Command(name = "rollback", header = "Return a device to its previous release.", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Make the release before the current one (or --to RELEASE) current again, restart the runtime, "
            + "and wait until its health file reports that release's model. Holds the device's deploy lock, so it never "
            + "runs beside a deploy.")
public final class RollbackCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "[USER@]HOST[:PORT]", required = true, description = "The device.")
    String host;

    @Option(names = "--to", paramLabel = "RELEASE", description = "The release to return to (default: the one before the current one).")
    String to;

    @Option(names = "--verify-timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "How long to wait for the runtime to come up (default ${DEFAULT-VALUE}); 0 skips the check.")
    int verifyTimeout;

    @Mixin
    SshMixin ssh;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        SshTarget target = SshTarget.parse(host);
        try (Device device = ssh.device(target); HeldScript lock = device.lock()) {
            return rollback(target, Installation.find(device), start);
        }
    }

    private int rollback(SshTarget target, Installation installed, long start) {
        DeviceStatus status = installed.device().status();
        String release = to != null ? to : status.previous();
        if (release == null) {
            throw new EdgemlException(target + ": no release before " + status.current() + " to return to; 'edgeml status' lists them");
        }
        if (!status.releases().contains(release)) {
            throw new EdgemlException(target + ": release " + release + " is not on the device; 'edgeml status' lists them");
        }
        System.err.println("[" + target + "] switching current from " + status.current() + " to " + release + " and restarting");
        HealthFileVerifier verifier = new HealthFileVerifier(installed.device());
        verifier.beforeRestart();
        installed.device().switchTo(release, 0);
        installed.device().restart(installed.mode(), installed.java());
        if (verifyTimeout > 0) {
            String problem = verifier.await(Release.modelIdOf(release), Duration.ofSeconds(verifyTimeout));
            if (problem != null) {
                throw new EdgemlException(target + ": rolled back to " + release + " but " + problem, EdgemlException.EXIT_GATE_FAILED, null);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "rolled back %s to %s in %.1f s%n", target, release, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
