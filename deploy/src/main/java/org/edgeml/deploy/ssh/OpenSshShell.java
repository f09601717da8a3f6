package org.edgeml.deploy.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;

/**
 * {@link RemoteShell} over the system OpenSSH client, run as a subprocess: {@code ~/.ssh/config} aliases, keys,
 * the agent and {@code known_hosts} behave exactly as they do for {@code ssh} itself. ssh never prompts
 * ({@code BatchMode}), and an unknown or changed host key is refused ({@code StrictHostKeyChecking=yes}, or
 * {@code accept-new} when asked). Nothing secret is ever on a command line: file contents go through stdin.
 * All commands of one shell share one authenticated connection (OpenSSH connection sharing, with the control
 * socket in a private temporary directory); {@link #close} ends it.
 */
public final class OpenSshShell implements RemoteShell {

    /** Sees each upload's ssh process as bytes go out: progress display, and tests that cut the connection. */
    @FunctionalInterface
    public interface TransferObserver {
        void sent(Process ssh, String remotePath, long bytes, long total);
    }

    private static final int SSH_ERROR = 255;
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "edgeml-ssh-watchdog");
                t.setDaemon(true);
                return t;
            });

    private final SshTarget target;
    private final SshOptions options;
    private final TransferObserver observer;
    private final ThreadLocal<Process> currentProcess = new ThreadLocal<>();
    private Path controlDir;

    public OpenSshShell(SshTarget target, SshOptions options) {
        this(target, options, (ssh, path, bytes, total) -> { });
    }

    public OpenSshShell(SshTarget target, SshOptions options, TransferObserver observer) {
        this.target = target;
        this.options = options;
        this.observer = observer;
    }

    /** The private directory of the shared connection's control socket, made on first use. */
    private synchronized Path controlDir() {
        if (controlDir == null) {
            try {
                controlDir = Files.createTempDirectory("edgeml-ssh-",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new EdgemlException("cannot create a temporary directory for ssh (" + e.getMessage() + ")");
            }
        }
        return controlDir;
    }

    /** Ends the shared connection. */
    @Override
    public synchronized void close() {
        if (controlDir == null) {
            return;
        }
        List<String> exit = new ArrayList<>(baseArguments("ssh"));
        exit.addAll(List.of("-O", "exit", "--", target.destination()));
        local(exit, "", Duration.ofSeconds(10));
        try (var files = Files.list(controlDir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // the socket is gone with the master
        }
        controlDir.toFile().delete();
        controlDir = null;
    }

    @Override
    public String name() {
        return target.toString();
    }

    @Override
    public RemoteResult run(String script, List<String> args, boolean sudo, Duration timeout) {
        List<String> remote = new ArrayList<>();
        if (sudo) {
            remote.addAll(List.of("sudo", "-n"));
        }
        remote.addAll(List.of("sh", "-s", "--"));
        remote.addAll(args);
        byte[] input = script.getBytes(StandardCharsets.UTF_8);
        return exec(sshCommand(ShellQuote.join(remote)), out -> out.write(input), timeout);
    }

    @Override
    public HeldScript hold(String script, List<String> args, boolean sudo, String ready, Duration timeout) {
        List<String> remote = new ArrayList<>();
        if (sudo) {
            remote.addAll(List.of("sudo", "-n"));
        }
        remote.addAll(List.of("sh", "-c", script, "sh"));
        remote.addAll(args);
        Path err = null;
        Process process = null;
        boolean held = false;
        try {
            err = Files.createTempFile("edgeml-ssh-", ".err");
            process = new ProcessBuilder(sshCommand(ShellQuote.join(remote))).redirectError(err.toFile()).start();
            Process started = process;
            java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(started::destroyForcibly,
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            StringBuilder said = new StringBuilder();
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.equals(ready)) {
                        watchdog.cancel(false);
                        held = true;
                        return HeldScript.holding(process);
                    }
                    said.append(line).append('\n');
                }
            }
            watchdog.cancel(false);
            process.waitFor(10, TimeUnit.SECONDS);
            RemoteResult result = new RemoteResult(process.isAlive() ? SSH_ERROR : process.exitValue(), said.toString(),
                    Files.readString(err, StandardCharsets.UTF_8));
            if (result.status() == SSH_ERROR) {
                throw new SshFailures(this).explain(result.stderr());
            }
            return HeldScript.refused(result);
        } catch (IOException | InterruptedException e) {
            throw failedToRun(e);
        } finally {
            if (!held && process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(err);
        }
    }

    @Override
    public void upload(Path local, String remotePath, String mode, String sha256, Duration timeout) {
        // sh -c keeps the remote side POSIX whatever the login shell is; the checksum is compared on the device.
        String copy = "umask 077; cat > \"$1\" && chmod \"$2\" \"$1\" && printf '%s  %s\\n' \"$3\" \"$1\" | sha256sum -c --status -"
                + " || { echo \"upload of $1 failed or its SHA-256 differs\" >&2; exit 1; }";
        String remote = ShellQuote.join(List.of("sh", "-c", copy, "sh", remotePath, mode, sha256));
        long total;
        try {
            total = Files.size(local);
        } catch (IOException e) {
            throw new EdgemlException(local + ": cannot read (" + e.getMessage() + "); check the path");
        }
        RemoteResult result = exec(sshCommand(remote), out -> {
            try (InputStream in = Files.newInputStream(local)) {
                byte[] buffer = new byte[1 << 16];
                long sent = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    sent += n;
                    observer.sent(currentProcess.get(), remotePath, sent, total);
                }
            }
        }, timeout);
        if (!result.ok()) {
            throw new EdgemlException(name() + ": upload of " + local.getFileName() + " to " + remotePath
                    + " failed: " + result.lastLine() + "; re-run the deploy");
        }
    }

    /** The ssh argument list for one remote command. */
    List<String> sshCommand(String remoteCommand) {
        List<String> cmd = new ArrayList<>(baseArguments("ssh"));
        cmd.add("--");
        cmd.add(target.destination());
        cmd.add(remoteCommand);
        return cmd;
    }

    /** {@code ssh} (or {@code ssh -G}) with every option this tool sets, up to the destination. */
    List<String> baseArguments(String program) {
        List<String> cmd = new ArrayList<>(List.of(program,
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=" + (options.acceptNew() ? "accept-new" : "yes"),
                "-o", "ConnectTimeout=" + options.connectTimeoutSeconds(),
                "-o", "ServerAliveInterval=5",
                "-o", "ServerAliveCountMax=3",
                "-o", "ControlMaster=auto",
                "-o", "ControlPath=" + controlDir() + "/%C",
                "-o", "ControlPersist=30"));
        if (options.configFile() != null) {
            cmd.addAll(List.of("-F", options.configFile().toString()));
        }
        if (options.knownHosts() != null) {
            cmd.addAll(List.of("-o", "UserKnownHostsFile=\"" + options.knownHosts().toAbsolutePath() + "\""));
        }
        if (options.identity() != null) {
            cmd.addAll(List.of("-i", options.identity().toString()));
        }
        if (target.port() != 0) {
            cmd.addAll(List.of("-p", Integer.toString(target.port())));
        }
        return cmd;
    }

    @FunctionalInterface
    private interface Feeder {
        void feed(OutputStream stdin) throws IOException;
    }

    private RemoteResult exec(List<String> command, Feeder feeder, Duration timeout) {
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("edgeml-ssh-", ".out");
            err = Files.createTempFile("edgeml-ssh-", ".err");
            process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            currentProcess.set(process);
            // The time limit covers writing stdin too, which blocks while the network does.
            Process started = process;
            java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                timedOut.set(true);
                started.destroyForcibly();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try (OutputStream stdin = process.getOutputStream()) {
                feeder.feed(stdin);
            } catch (IOException e) {
                // ssh went away while we were writing: its exit status and stderr say why.
            }
            boolean finished = process.waitFor(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
            watchdog.cancel(false);
            if (timedOut.get() || !finished) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new EdgemlException(name() + ": ssh did not finish within " + timeout.toSeconds()
                        + " s; check the device and the network, then re-run", EdgemlException.EXIT_GATE_FAILED, null);
            }
            RemoteResult result = new RemoteResult(process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            if (result.status() == SSH_ERROR) {
                throw new SshFailures(this).explain(result.stderr());
            }
            return result;
        } catch (IOException | InterruptedException e) {
            throw failedToRun(e);
        } finally {
            currentProcess.remove();
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** ssh could not be run at all, or the wait for it was interrupted. */
    private EdgemlException failedToRun(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new EdgemlException(name() + ": interrupted", e);
        }
        return new EdgemlException("cannot run ssh (" + e.getMessage() + "); install the OpenSSH client", e);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** Runs a local helper (ssh -G, ssh-keyscan, ssh-keygen) with a time limit; its stdout, or "" on failure. */
    static String local(List<String> command, String stdin, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("edgeml-ssh-", ".out");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the helper did not read its input
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } finally {
            deleteQuietly(out);
        }
    }

    SshTarget target() {
        return target;
    }

    SshOptions options() {
        return options;
    }
}
