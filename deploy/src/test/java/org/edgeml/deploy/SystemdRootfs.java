package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The amd64 Debian userland with systemd that {@link NspawnDevice} boots, built once by
 * {@code scripts/systemd-rootfs} into {@code $EDGEML_SYSTEMD_ROOTFS} or {@code ~/.cache/edgeml/systemd-bookworm}
 * and reused. When this machine cannot have it (not root, no debootstrap or systemd-nspawn) the test is
 * skipped, unless services are required: then it fails saying what to install.
 */
final class SystemdRootfs {
    static final String INSTALL = "apt-get install -y debootstrap systemd-container";
    private static final Path SCRIPT = Path.of("..", "scripts", "systemd-rootfs");
    private static final int LACKS = 3;
    private static final long BUILD_MINUTES = 30;

    private SystemdRootfs() {}

    static Path ensure() throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        if (!Sshd.isRoot()) {
            missing.add("root (debootstrap and systemd-nspawn need it)");
        }
        for (String tool : List.of("/usr/sbin/debootstrap", "/usr/bin/systemd-nspawn")) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            lacks("the systemd deploy test needs " + String.join(", ", missing) + ": " + INSTALL + " (as root)");
        }
        Path log = Files.createTempFile("systemd-rootfs", ".log");
        try {
            Process build = new ProcessBuilder(SCRIPT.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                build.descendants().forEach(ProcessHandle::destroy);
                build.destroy();
                fail(SCRIPT + " did not finish within " + BUILD_MINUTES + " minutes: " + Files.readString(log));
            }
            String out = Files.readString(log);
            if (build.exitValue() == LACKS) {
                lacks(out.strip());
            }
            if (build.exitValue() != 0) {
                fail(SCRIPT + " failed with status " + build.exitValue() + ": " + out);
            }
            System.err.print(out);
            return Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow()).toRealPath();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void lacks(String why) {
        if (Boolean.getBoolean("edgeml.requireServices")) {
            fail(why);
        }
        Assumptions.abort(why);
    }
}
