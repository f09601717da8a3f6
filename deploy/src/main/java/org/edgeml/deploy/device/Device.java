package org.edgeml.deploy.device;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.deploy.ssh.HeldScript;
import org.edgeml.deploy.ssh.RemoteResult;
import org.edgeml.deploy.ssh.RemoteShell;

/**
 * One device's edgeml installation under a prefix (default {@code /opt/edgeml}), driven through its
 * {@link DeviceScript}s. Steps that change the layout run as root ({@code sudo -n}) when {@link #asRoot} says so.
 * Closing it closes its shell (shared by the copies {@link #asRoot} makes).
 */
public final class Device implements AutoCloseable {
    public static final String DEFAULT_PREFIX = "/opt/edgeml";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

    private final RemoteShell shell;
    private final String prefix;
    private final boolean asRoot;

    public Device(RemoteShell shell, String prefix) {
        this(shell, prefix, false);
    }

    private Device(RemoteShell shell, String prefix, boolean asRoot) {
        this.shell = java.util.Objects.requireNonNull(shell, "shell");
        this.prefix = checkPrefix(prefix);
        this.asRoot = asRoot;
    }

    /** An absolute directory path without {@code ..} or a trailing slash; throws otherwise. */
    public static String checkPrefix(String prefix) {
        if (prefix == null || !prefix.matches("(/[A-Za-z0-9._+-]+)+") || prefix.contains("/../") || prefix.endsWith("/..")) {
            throw new EdgemlException("--prefix: '" + prefix + "' must be an absolute directory path such as /opt/edgeml");
        }
        return prefix;
    }

    /** The same device, with layout steps run through {@code sudo -n} when {@code root} is true. */
    public Device asRoot(boolean root) {
        return new Device(shell, prefix, root);
    }

    public String name() {
        return shell.name();
    }

    @Override
    public void close() {
        shell.close();
    }

    public String prefix() {
        return prefix;
    }

    public String releaseDir(String releaseId) {
        return prefix + "/releases/" + releaseId;
    }

    public String stateDir() {
        return prefix + "/state";
    }

    public String healthFile() {
        return stateDir() + "/health.json";
    }

    public Preflight preflight(String sourceKind, boolean installJava) {
        RemoteResult r = shell.run(DeviceScript.PREFLIGHT.text(), List.of(prefix, sourceKind, installJava ? "1" : "0"),
                false, installJava ? INSTALL_TIMEOUT : SCRIPT_TIMEOUT);
        Map<String, String> values = r.values();
        if ("failed".equals(values.get("java_install"))) {
            throw new EdgemlException(name() + ": installing openjdk-17-jre-headless failed (" + r.lastLine()
                    + "); install it on the device with 'sudo apt install openjdk-17-jre-headless'");
        }
        return Preflight.parse(values);
    }

    /**
     * Takes the device's deploy lock ({@code flock} on {@code PREFIX/deploy.lock}) until the returned handle is
     * closed; the lock also ends with the connection.
     *
     * @throws EdgemlException when another deploy holds it
     */
    public HeldScript lock() {
        HeldScript held = shell.hold(DeviceScript.LOCK.text(), List.of(prefix), asRoot, "locked", SCRIPT_TIMEOUT);
        if (!held.isHeld()) {
            RemoteResult r = held.refusal();
            throw new EdgemlException(name() + ": " + r.lastLine() + (r.status() == 75
                    ? "; wait for it to finish (or end it), then re-run" : ""));
        }
        return held;
    }

    /**
     * Creates an empty {@code <release>.partial} directory owned by {@code uploader} (and the service user, when
     * not {@code null}); returns the directory's path.
     */
    public String prepare(String releaseId, String uploader, String serviceUser) {
        return expect(DeviceScript.PREPARE, releaseId, uploader, serviceUser == null ? "-" : serviceUser).values().get("partial");
    }

    public void upload(Path local, String remotePath, String mode, String sha256) {
        long size = local.toFile().length();
        shell.upload(local, remotePath, mode, sha256, Duration.ofSeconds(60 + size / (256 * 1024)));
    }

    /**
     * Verifies the partial release against its sums and its trusted key against the device's pin, sets owner
     * ({@code root:} the service user's group) and modes, makes it final.
     *
     * @param rotateTrust replace (or remove) a pinned trusted key that differs from the release's
     * @return what happened to the pin ({@code pinned ID}, {@code kept ID}, {@code rotated OLD -> NEW},
     *         {@code unpinned ID}), or {@code null} when neither the release nor the device has a trusted key
     */
    public String activate(String releaseId, String serviceUser, boolean rotateTrust) {
        return expect(DeviceScript.ACTIVATE, releaseId, serviceUser == null ? "-" : serviceUser, rotateTrust ? "1" : "0")
                .values().get("trust");
    }

    /**
     * Points {@code current} at an existing release and, when {@code keep > 0}, removes all but the newest
     * {@code keep} releases (never the current or the previous one).
     *
     * @return the release that was current before, or {@code null}
     */
    public String switchTo(String releaseId, int keep) {
        String previous = expect(DeviceScript.SWITCH, releaseId, Integer.toString(keep)).values().get("previous");
        return previous == null || previous.isEmpty() ? null : previous;
    }

    /**
     * (Re)starts the current release's runtime. The supervisor runs as the owner of the state directory: the
     * login user, also when the layout needed root (sudo); root only when the login user is root.
     */
    public void restart(ServiceMode mode, String java) {
        expect(DeviceScript.SERVICE, mode.id(), "restart", java);
    }

    public void stop(ServiceMode mode) {
        expect(DeviceScript.SERVICE, mode.id(), "stop", "java");
    }

    public DeviceStatus status() {
        return DeviceStatus.parse(expect(DeviceScript.STATUS).stdout());
    }

    /** The runtime's health file, or {@code null} when it has not written one (yet). */
    public String readHealth() {
        RemoteResult r = shell.run("cat \"$1\" 2>/dev/null || true\n", List.of(healthFile()), asRoot, SCRIPT_TIMEOUT);
        return r.stdout().isBlank() ? null : r.stdout();
    }

    /** The runtime's last output lines (journal or supervisor log), for failure messages. */
    public String logs(int lines) {
        return shell.run(DeviceScript.LOGS.text(), List.of(prefix, Integer.toString(lines)), asRoot, SCRIPT_TIMEOUT).stdout();
    }

    private RemoteResult expect(DeviceScript script, String... args) {
        List<String> all = new java.util.ArrayList<>();
        all.add(prefix);
        all.addAll(List.of(args));
        RemoteResult r = shell.run(script.text(), all, asRoot, SCRIPT_TIMEOUT);
        if (!r.ok()) {
            throw new EdgemlException(name() + ": " + script.fileName() + " failed: " + r.lastLine());
        }
        return r;
    }
}
