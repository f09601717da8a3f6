package org.edgeml.deploy.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;

/**
 * What {@code preflight.sh} found on the device, and the decisions that follow from it: which service mode,
 * whether root is needed (through {@code sudo -n}), and what stops a deploy before anything is changed.
 *
 * @param javaMajor 0 when Java is missing
 * @param rpicam    {@code null} when the source is not the camera
 * @param current   the current release, {@code null} on a fresh device
 * @param serviceMode the service mode of the last deploy ({@code systemd} or {@code supervisor}), or {@code null}
 */
public record Preflight(String arch, String user, boolean root, boolean sudo, boolean systemd, boolean writable,
                        long freeKb, String java, int javaMajor, Boolean rpicam, String current, String serviceMode) {

    public static final int MIN_JAVA = 17;

    public static Preflight parse(Map<String, String> v) {
        String java = v.getOrDefault("java", "none");
        int major;
        try {
            major = java.equals("none") ? 0 : Integer.parseInt(v.getOrDefault("java_major", "0"));
        } catch (NumberFormatException e) {
            major = 0;
        }
        long free;
        try {
            free = Long.parseLong(v.getOrDefault("free_kb", "0"));
        } catch (NumberFormatException e) {
            free = 0;
        }
        return new Preflight(v.getOrDefault("arch", "unknown"), v.getOrDefault("user", "unknown"),
                "yes".equals(v.get("root")), "yes".equals(v.get("sudo")), "yes".equals(v.get("systemd")),
                "yes".equals(v.get("writable")), free, java, major,
                v.containsKey("rpicam") ? "yes".equals(v.get("rpicam")) : null, v.get("current"), v.get("service_mode"));
    }

    /** Systemd where it runs, unless the user chose; never systemd where it does not run. */
    public ServiceMode chooseMode(ServiceMode requested) {
        if (requested == ServiceMode.SYSTEMD && !systemd) {
            throw new EdgemlException("--service systemd: systemd is not running on the device (no /run/systemd/system);"
                    + " use --service supervisor or leave --service out");
        }
        return requested != null ? requested : systemd ? ServiceMode.SYSTEMD : ServiceMode.SUPERVISOR;
    }

    /** Whether the release steps must run as root: the prefix is not ours, or systemd is to be configured. */
    public boolean needsRoot(ServiceMode mode) {
        return !root && (!writable || mode == ServiceMode.SYSTEMD);
    }

    /** Things worth saying that do not stop the deploy. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (!arch.equals("aarch64") && !arch.equals("armv7l")) {
            warnings.add("architecture " + arch + " is not a Raspberry Pi's (aarch64 or armv7l); deploying anyway");
        }
        return warnings;
    }

    /**
     * Throws the first thing that would make the deploy fail, before anything is changed on the device.
     * {@code javaToBeInstalled}: a dry run with {@code --install-java}, where a missing Java is not a problem yet.
     */
    public void requireReady(String prefix, ServiceMode mode, long bytesNeeded, boolean javaToBeInstalled) {
        boolean missing = java.equals("none");
        if (missing && !javaToBeInstalled) {
            throw new EdgemlException("Java is not installed on the device; re-run with --install-java (installs Debian's"
                    + " openjdk-17-jre-headless) or run 'sudo apt install openjdk-17-jre-headless' on it");
        }
        if (!missing && javaMajor < MIN_JAVA) {
            throw new EdgemlException("Java " + javaMajor + " on the device (" + java + ") is too old; the runtime needs Java "
                    + MIN_JAVA + " or newer: 'sudo apt install openjdk-17-jre-headless'");
        }
        if (Boolean.FALSE.equals(rpicam)) {
            throw new EdgemlException("the source is rpicam but rpicam-vid is not on the device; 'sudo apt install rpicam-apps'"
                    + " and check the camera with 'rpicam-hello'");
        }
        long neededKb = bytesNeeded / 1024 * 2 + 10 * 1024;
        if (freeKb < neededKb) {
            throw new EdgemlException("only " + freeKb / 1024 + " MB free for " + prefix + " on the device, need "
                    + neededKb / 1024 + " MB; free space (old logs, 'sudo apt clean') or use --prefix elsewhere");
        }
        if (needsRoot(mode) && !sudo) {
            throw new EdgemlException("user " + user + " on the device cannot write " + prefix
                    + (mode == ServiceMode.SYSTEMD ? " or run systemctl" : "")
                    + " and has no passwordless sudo; allow it ('" + user + " ALL=(ALL) NOPASSWD: ALL' in /etc/sudoers.d/edgeml),"
                    + " log in as root, or use --prefix in a directory it owns with --service supervisor");
        }
    }
}
