package org.edgeml.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A "device" made of an arm64 rootfs: {@code /proc} mounted into it and the rootfs's own OpenSSH sshd started
 * with {@code chroot} (so it and everything it runs are arm64 binaries under qemu-user) on a loopback port of
 * this machine, with a temporary host key and {@code lab}'s user key authorized for root. A chroot shares the
 * host's network and process namespaces: the device reaches a broker on 127.0.0.1, and its processes are
 * visible here. {@link #close()} kills every process whose root is the rootfs and unmounts /proc, always.
 */
final class ChrootDevice implements AutoCloseable {
    /** The sshd's files, as the chroot sees them. */
    private static final String RUN = "/run/edgeml-e2e";

    private final Path rootfs;
    private final Path proc;
    private Process sshd;
    private int port;

    private ChrootDevice(Path rootfs) {
        this.rootfs = rootfs;
        this.proc = rootfs.resolve("proc");
    }

    static ChrootDevice start(Path rootfs, SshLab lab) throws IOException, InterruptedException {
        ChrootDevice device = new ChrootDevice(rootfs);
        try {
            device.startSshd(lab);
            return device;
        } catch (IOException | InterruptedException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    private void startSshd(SshLab lab) throws IOException, InterruptedException {
        killProcessesInside(); // left by an earlier run that was killed before its cleanup
        Mounts.unmountUnder(proc);
        Mounts.mount("proc", proc);
        Path run = inside(RUN);
        deleteTree(run);
        Files.createDirectories(run);
        Files.createDirectories(inside("/run/sshd")); // sshd's privilege separation directory
        Path hostKey = lab.newHostKey("device_host_ed25519");
        Files.copy(hostKey, run.resolve("host_ed25519"));
        Files.copy(lab.authorizedKeys, run.resolve("authorized_keys"));
        port = LocalServer.freePort();
        Files.writeString(run.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + RUN + "/host_ed25519",
                "PidFile " + RUN + "/sshd.pid",
                "AuthorizedKeysFile " + RUN + "/authorized_keys",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "LogLevel ERROR",
                ""));
        Path log = lab.dir.resolve("chroot-sshd.log");
        sshd = new ProcessBuilder("chroot", rootfs.toString(), "/usr/sbin/sshd", "-D", "-e", "-f", RUN + "/sshd_config")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalServer.awaitListening(sshd, port, log, "sshd in " + rootfs, 120);
    }

    int port() {
        return port;
    }

    /** A path of the device as seen from this machine. */
    Path inside(String devicePath) {
        return rootfs.resolve(devicePath.replaceFirst("^/+", ""));
    }

    @Override
    public void close() {
        if (sshd != null) {
            sshd.destroy();
        }
        killProcessesInside();
        try {
            Mounts.unmountUnder(proc);
            deleteTree(inside(RUN));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cleaning up " + rootfs + ": " + e.getMessage(), e);
        }
    }

    /** sshd, its sessions and the supervisor and runtime the deploy started: whatever runs with the rootfs as its root. */
    private void killProcessesInside() {
        for (int round = 0; round < 20; round++) {
            List<ProcessHandle> inside = ProcessHandle.allProcesses().filter(this::rootedHere).toList();
            if (inside.isEmpty()) {
                return;
            }
            inside.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : inside) {
                p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join();
            }
        }
    }

    private boolean rootedHere(ProcessHandle p) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "root")).equals(rootfs);
        } catch (IOException | SecurityException gone) {
            return false;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }
}
