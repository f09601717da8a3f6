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
 * The arm64 Debian userland of the end-to-end test, built once by {@code scripts/arm64-rootfs} into
 * {@code $EDGEML_ARM64_ROOTFS} or {@code ~/.cache/edgeml/arm64-bookworm} and reused. When this machine cannot
 * have it (not root, no debootstrap/qemu-user-static/binfmt-support, no binfmt_misc) the test is skipped,
 * unless services are required: then it fails saying what to install.
 */
final class Arm64Rootfs {
    static final String INSTALL = "apt-get install -y debootstrap qemu-user-static binfmt-support";
    private static final Path SCRIPT = Path.of("..", "scripts", "arm64-rootfs");
    private static final int LACKS = 3;
    private static final long BUILD_MINUTES = 40;

    private Arm64Rootfs() {}

    /** The rootfs directory, built first when needed (minutes, once); skips or fails when it cannot be had. */
    static Path ensure() throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        if (!Sshd.isRoot()) {
            missing.add("root (chroot and mount need it)");
        }
        for (String tool : List.of("/usr/sbin/debootstrap", "/usr/bin/qemu-aarch64-static", "/usr/sbin/update-binfmts")) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            lacks("the arm64 end-to-end test needs " + String.join(", ", missing) + ": " + INSTALL + " (as root)");
        }
        Path dir = directory();
        Path log = Files.createTempFile("arm64-rootfs", ".log");
        System.err.println("arm64 rootfs in " + dir + ": reused when complete, else built (about 5 minutes; log " + log + ")");
        try {
            Process build = new ProcessBuilder(SCRIPT.toString(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                stop(build, dir);
                fail(SCRIPT + " did not finish within " + BUILD_MINUTES + " minutes: " + tail(log));
            }
            if (build.exitValue() == LACKS) {
                lacks(tail(log).strip() + " (" + INSTALL + ")");
            }
            if (build.exitValue() != 0) {
                fail(SCRIPT + " failed with status " + build.exitValue() + ": " + tail(log));
            }
            System.err.print(Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
        return dir.toRealPath();
    }

    /**
     * Stops the script and debootstrap under it: SIGTERM first, so debootstrap unmounts what it mounted in the
     * half-built tree; then whatever is still mounted there is unmounted (the next run deletes the tree).
     */
    private static void stop(Process build, Path dir) throws IOException, InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(build.descendants().toList());
        all.add(build.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
        }
        all.forEach(ProcessHandle::destroyForcibly);
        Mounts.unmountUnder(Path.of(dir + ".partial"));
    }

    static Path directory() {
        String configured = System.getenv("EDGEML_ARM64_ROOTFS");
        return configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath()
                : Path.of(System.getProperty("user.home"), ".cache", "edgeml", "arm64-bookworm");
    }

    private static void lacks(String why) {
        if (Boolean.getBoolean("edgeml.requireServices")) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }
}
