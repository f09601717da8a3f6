package org.edgeml.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import org.edgeml.core.EdgemlException;
import org.edgeml.mqtt.Broker;
import org.edgeml.deploy.DeployResult.Outcome;
import org.edgeml.deploy.DeployResult.RollbackCheck;
import org.edgeml.deploy.device.Device;
import org.edgeml.deploy.device.Preflight;
import org.edgeml.deploy.device.ServiceMode;
import org.edgeml.deploy.ssh.HeldScript;
import org.edgeml.deploy.ssh.RemoteShell;
import org.edgeml.deploy.ssh.SshTarget;
import org.edgeml.deploy.verify.HealthFileVerifier;
import org.edgeml.deploy.verify.MqttStatusVerifier;
import org.edgeml.deploy.verify.Verifier;

/**
 * Deploys one release to one device: preflight (read-only), upload into {@code <release>.partial}, verify every
 * file's SHA-256 on the device and make the release current, restart the service, and wait for the runtime to
 * report the new model; when it does not, make the previous release current again and restart it. Progress
 * goes to {@code log}, one line per step, prefixed with the host.
 */
public final class Deployer {
    private static final int LOG_LINES = 8;

    private final Function<SshTarget, RemoteShell> shells;
    private final DeployRequest request;
    private final PrintStream log;

    public Deployer(Function<SshTarget, RemoteShell> shells, DeployRequest request, PrintStream log) {
        this.shells = shells;
        this.request = request;
        this.log = log;
    }

    /** Never throws for a device problem: the result says what happened. */
    public DeployResult deploy(Target target) {
        long start = System.nanoTime();
        String host = target.ssh().toString();
        Step step = new Step();
        try {
            return deploy(target, host, start, step);
        } catch (EdgemlException e) {
            return result(host, step.release, Outcome.FAILED, start, failure(step, e.getMessage(), host));
        } catch (RuntimeException e) {
            return result(host, step.release, Outcome.FAILED, start, failure(step, e.toString(), host));
        }
    }

    /** How far a deploy got, for the failure message. */
    private static final class Step {
        String release;
        boolean changedCurrent;
    }

    private static String failure(Step step, String message, String host) {
        String where = message.startsWith(host + ": ") ? message.substring(host.length() + 2) : message;
        return where + (step.changedCurrent ? "" : " (current release unchanged)");
    }

    private DeployResult deploy(Target target, String host, long start, Step step) {
        String prefix = target.prefixOr(request.prefix());
        try (Device device = new Device(shells.apply(target.ssh()), prefix)) {
            return deploy(device, target, host, start, step);
        }
    }

    private DeployResult deploy(Device asLoggedIn, Target target, String host, long start, Step step) {
        Device device = asLoggedIn;
        String prefix = device.prefix();
        DeviceConfig config = target.config();
        config.requireTrusted(request.model());
        say(host, "preflight");
        Preflight preflight = device.preflight(config.sourceKind(), request.installJava() && !request.dryRun());
        preflight.warnings().forEach(w -> say(host, "warning: " + w));
        ServiceMode mode = preflight.chooseMode(request.service());
        try (Release release = Release.stage(request.releaseId(), request.modelId(), request.model(), request.runtimeJar(), config,
                prefix, preflight.java(), request.jvmOptions())) {
            preflight.requireReady(prefix, mode, release.totalBytes(), request.dryRun() && request.installJava());
            if (request.dryRun()) {
                printPlan(host, preflight, mode, release, device);
                return result(host, release.id(), Outcome.PLANNED, start, "dry run: nothing changed");
            }
            device = device.asRoot(preflight.needsRoot(mode));
            try (HeldScript lock = device.lock(); Verifier verifier = verifier(device, config)) {
                verifier.arm();
                String partial = device.prepare(release.id(), preflight.user(), serviceUser(mode, preflight));
                step.release = release.id();
                upload(host, device, release, partial);
                say(host, "verifying checksums on the device and switching current to " + release.id());
                String trust = device.activate(release.id(), serviceUser(mode, preflight), request.rotateTrust());
                if (trust != null) {
                    say(host, "trusted key " + trust);
                }
                String previous = device.switchTo(release.id(), request.keep());
                step.changedCurrent = true;
                say(host, "restarting the runtime (" + mode.id() + ")");
                String problem = restartAndVerify(device, mode, preflight.java(), verifier, request.modelId());
                if (problem == null) {
                    say(host, "online with model " + request.modelId());
                    return result(host, release.id(), Outcome.DEPLOYED, start,
                            "running under " + mode.id() + (previous == null ? "" : ", previous " + previous));
                }
                return rollBack(host, device, mode, preflight.java(), verifier, release.id(), previous, problem, start);
            }
        }
    }

    /**
     * Who runs the runtime, when it is not simply the login user: systemd's {@code edgeml}, or with the
     * supervisor the login user even though the layout needed sudo (never root for sudo's sake).
     */
    private static String serviceUser(ServiceMode mode, Preflight preflight) {
        if (mode == ServiceMode.SYSTEMD) {
            return SystemdUnit.USER;
        }
        return preflight.needsRoot(mode) ? preflight.user() : null;
    }

    /** {@code null} when a new runtime process came up online with {@code modelId}; otherwise what went wrong. */
    private String restartAndVerify(Device device, ServiceMode mode, String java, Verifier verifier, String modelId) {
        try {
            verifier.beforeRestart();
            device.restart(mode, java);
            return verifier.await(modelId, request.verifyTimeout());
        } catch (EdgemlException e) {
            return e.getMessage();
        }
    }

    private DeployResult rollBack(String host, Device device, ServiceMode mode, String java, Verifier verifier, String release,
                                  String previous, String problem, long start) {
        String logs = device.logs(LOG_LINES).strip();
        String tail = logs.isEmpty() ? "" : "; runtime output: " + logs.replace('\n', '|');
        say(host, "verification failed: " + problem);
        if (previous == null) {
            device.stop(mode);
            return result(host, release, Outcome.FAILED, start,
                    problem + "; no previous release to return to, so the service is stopped" + tail);
        }
        say(host, "switching current back to " + previous + " and restarting");
        device.switchTo(previous, 0);
        String previousModel = Release.modelIdOf(previous);
        String rollbackProblem = restartAndVerify(device, mode, java, verifier, previousModel);
        RollbackCheck check = new RollbackCheck(previous, rollbackProblem == null, rollbackProblem);
        if (rollbackProblem != null) {
            say(host, "ROLLBACK NOT VERIFIED: " + rollbackProblem);
            return new DeployResult(host, release, Outcome.ROLLBACK_FAILED, seconds(start), problem + "; " + previous
                    + " is current again but did NOT come up: " + rollbackProblem + tail, check);
        }
        say(host, previous + " is online again with model " + previousModel);
        return new DeployResult(host, release, Outcome.ROLLED_BACK, seconds(start),
                problem + "; " + previous + " is current again and online with model " + previousModel + tail, check);
    }

    private void upload(String host, Device device, Release release, String partial) {
        int n = 0;
        for (Release.File file : release.files()) {
            n++;
            say(host, String.format(Locale.ROOT, "upload %d/%d %s (%s)", n, release.files().size(), file.name(),
                    humanBytes(file.local().toFile().length())));
            device.upload(file.local(), partial + "/" + file.name(), file.mode(), file.sha256());
        }
    }

    private Verifier verifier(Device device, DeviceConfig config) {
        String broker = request.verifyBroker() != null ? request.verifyBroker() : config.get("broker");
        boolean mqtt = switch (request.verify()) {
            case MQTT -> true;
            case HEALTH -> false;
            case AUTO -> request.verifyBroker() != null
                    || (broker != null && broker.matches("(tcp|ssl)://.*") && !broker.matches("(tcp|ssl)://(localhost|127\\.[0-9.]+)(:.*)?/?"));
        };
        if (!mqtt) {
            return new HealthFileVerifier(device);
        }
        if (broker == null) {
            throw new EdgemlException("--verify mqtt needs a broker: give --broker or --verify-broker");
        }
        return new MqttStatusVerifier(new Broker(broker, config.get("username"), localPath(config, "password-file"),
                localPath(config, "cafile"), localPath(config, "cert"), localPath(config, "key")),
                config.options().getOrDefault("topic-prefix", "edgeml"), config.deviceId());
    }

    private static Path localPath(DeviceConfig config, String key) {
        return config.get(key) == null ? null : Path.of(config.get(key));
    }

    private void printPlan(String host, Preflight preflight, ServiceMode mode, Release release, Device device) {
        StringBuilder plan = new StringBuilder();
        plan.append("plan for ").append(host).append(" (dry run: nothing will be changed)\n")
                .append("  device: ").append(preflight.arch()).append(", Java ").append(preflight.javaMajor())
                .append(" at ").append(preflight.java()).append(preflight.java().equals("none") ? " (would install openjdk-17-jre-headless)" : "")
                .append(", login user ").append(preflight.user())
                .append(preflight.needsRoot(mode) ? " (via sudo -n)" : "").append('\n')
                .append("  current release: ").append(preflight.current() == null ? "none" : preflight.current()).append('\n')
                .append("  new release: ").append(device.releaseDir(release.id())).append('\n');
        for (Release.File f : release.files()) {
            plan.append(String.format(Locale.ROOT, "    %-18s %10s  mode %s  sha256 %s%n", f.name(),
                    humanBytes(f.local().toFile().length()), f.mode(), f.sha256().substring(0, 16)));
        }
        plan.append("  service: ").append(mode.id()).append(mode == ServiceMode.SYSTEMD ? " (edgeml.service as user edgeml)"
                : " (supervisor.sh as " + preflight.user() + ")").append('\n')
                .append("  keep: newest ").append(request.keep()).append(" releases\n")
                .append("  edgeml.conf:\n");
        for (String line : release.configText().split("\n")) {
            plan.append("    ").append(line).append('\n');
        }
        synchronized (log) {
            log.print(plan);
            log.flush();
        }
    }

    private void say(String host, String message) {
        synchronized (log) {
            log.println("[" + host + "] " + message);
            log.flush();
        }
    }

    private static DeployResult result(String host, String release, Outcome outcome, long start, String message) {
        return new DeployResult(host, release, outcome, seconds(start), message);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
