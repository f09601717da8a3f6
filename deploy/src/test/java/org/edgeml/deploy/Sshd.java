package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server for tests: {@code sshd -D -e -f <temp config>} on a loopback port, as the current user,
 * with its own host key and one authorized user key. Never touches ~/.ssh or /etc/ssh.
 */
final class Sshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final int port;
    private final Path log;

    private Sshd(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Skips the test when sshd is missing, unless services are required (then it fails). */
    static void assumeAvailable() {
        boolean present = Files.isExecutable(SSHD) && onPath("ssh") && onPath("ssh-keygen");
        if (!present && Boolean.getBoolean("edgeml.requireServices")) {
            fail("sshd or the ssh client is missing: install openssh-server and openssh-client");
        }
        Assumptions.assumeTrue(present, "sshd not installed (install openssh-server)");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        return LocalServer.freePort();
    }

    static void keygen(Path key) throws IOException, InterruptedException {
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "edgeml-test", "-f", key.toString()));
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("failed: " + command);
        }
    }

    /** Starts sshd on {@code port} with {@code hostKey}, accepting {@code authorizedKeys}; waits until it listens. */
    static Sshd start(Path dir, Path hostKey, Path authorizedKeys, int port) throws IOException, InterruptedException {
        if (isRoot()) {
            // sshd insists on its privilege separation directory when started as root.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Path config = dir.resolve("sshd_config-" + port);
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd-" + port + ".pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                "PermitRootLogin yes",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "LogLevel ERROR",
                ""));
        Path log = dir.resolve("sshd-" + port + ".log");
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalServer.awaitListening(process, port, log, "sshd");
        return new Sshd(process, port, log);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }
}
