package org.edgeml.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A "device" with systemd as its init: {@code systemd-nspawn --boot} of a cached rootfs in its own PID, mount
 * and UTS namespaces, on a throw-away overlay ({@code --volatile=overlay}: the cached tree is never written).
 * It shares this machine's network, so its sshd (the rootfs's {@code edgeml-e2e-sshd.service}, configured from
 * {@code /run/edgeml-e2e}, bound in) listens on a loopback port here and the device reaches a broker on
 * 127.0.0.1. Host directories can be bound in read-only. {@link #close()} powers the container off, or kills it.
 */
final class NspawnDevice implements AutoCloseable {
    private static final String RUN = "/run/edgeml-e2e";

    private final Process nspawn;
    private final int port;
    private final Path log;

    private NspawnDevice(Process nspawn, int port, Path log) {
        this.nspawn = nspawn;
        this.port = port;
        this.log = log;
    }

    /** Boots the container; {@code binds} maps host directories to where the device sees them (read-only). */
    static NspawnDevice boot(Path rootfs, SshLab lab, List<String[]> binds) throws IOException, InterruptedException {
        Path run = Files.createDirectories(lab.dir.resolve("nspawn-run"));
        Files.copy(lab.newHostKey("nspawn_host_ed25519"), run.resolve("host_ed25519"));
        Files.copy(lab.authorizedKeys, run.resolve("authorized_keys"));
        int port = LocalServer.freePort();
        Files.writeString(run.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + RUN + "/host_ed25519",
                "AuthorizedKeysFile " + RUN + "/authorized_keys",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "LogLevel ERROR",
                ""));
        List<String> command = new ArrayList<>(List.of("systemd-nspawn", "--quiet", "--directory=" + rootfs,
                "--volatile=overlay", "--register=no", "--keep-unit", "--machine=edgeml-e2e-" + port,
                "--console=read-only", "--bind-ro=" + run + ":" + RUN));
        for (String[] bind : binds) {
            command.add("--bind-ro=" + bind[0] + ":" + bind[1]);
        }
        command.add("--boot");
        Path log = lab.dir.resolve("nspawn-console.log");
        Process nspawn = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        NspawnDevice device = new NspawnDevice(nspawn, port, log);
        try {
            LocalServer.awaitListening(nspawn, port, log, "sshd in the systemd-nspawn container", 120);
            return device;
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    String console() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM makes systemd-nspawn power the container off; whatever still runs after 60 s is killed. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(nspawn.descendants().toList());
        nspawn.destroy();
        try {
            if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                nspawn.destroyForcibly();
            }
        } catch (InterruptedException e) {
            nspawn.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
