package org.edgeml.deploy.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgeml.core.EdgemlException;

/**
 * Turns what ssh printed when it gave up (exit status 255) into one line that says what to do. A device that
 * cannot be reached or logged in to is a failed operation (exit 1), in {@code deploy}, {@code status} and
 * {@code rollback} alike, not bad input: the same host may answer on the next try.
 */
final class SshFailures {
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern KEY_TYPE = Pattern.compile("(?:No|for the) (\\w+) (?:host )?key");

    private final OpenSshShell shell;

    SshFailures(OpenSshShell shell) {
        this.shell = shell;
    }

    EdgemlException explain(String stderr) {
        String name = shell.name();
        if (stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
            Endpoint e = endpoint();
            return failed(name + ": host key CHANGED, refused: the server now shows " + fingerprint(e, stderr)
                    + "; if the device was reinstalled and you verified that fingerprint on it, remove the old key with '"
                    + removeCommand(e) + "' and re-run with --accept-new; otherwise someone may be intercepting the connection");
        }
        if (stderr.contains("Host key verification failed") || stderr.contains("host key is known for")) {
            Endpoint e = endpoint();
            return failed(name + ": host key unknown, refused: the server shows " + fingerprint(e, stderr)
                    + "; compare it with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the device, then re-run with"
                    + " --accept-new (or add it: 'ssh-keyscan -p " + e.port() + " " + e.host() + " >> " + knownHostsFile() + "')");
        }
        if (stderr.contains("Permission denied")) {
            return failed(name + ": login refused (" + lastLine(stderr) + "); give the key with --identity KEY,"
                    + " load it into ssh-agent, or add its .pub to ~/.ssh/authorized_keys on the device");
        }
        if (stderr.contains("Could not resolve hostname")) {
            return failed(name + ": unknown host name (" + lastLine(stderr) + "); check the name, or use the IP address");
        }
        if (stderr.contains("Connection refused") || stderr.contains("timed out") || stderr.contains("No route to host")
                || stderr.contains("Network is unreachable")) {
            return failed(name + ": cannot connect (" + lastLine(stderr) + "); is the device on, on the network,"
                    + " and is SSH enabled (sudo raspi-config > Interface Options > SSH)?");
        }
        if (stderr.contains("Connection closed") || stderr.contains("Broken pipe") || stderr.contains("Connection reset")) {
            return failed(name + ": connection dropped (" + lastLine(stderr) + "); re-run when the device is reachable");
        }
        return failed(name + ": ssh failed: " + (stderr.isBlank() ? "no message (exit 255)" : lastLine(stderr)));
    }

    private static EdgemlException failed(String message) {
        return new EdgemlException(message, EdgemlException.EXIT_GATE_FAILED, null);
    }

    record Endpoint(String host, int port) {
        String knownHostsName() {
            return port == 22 ? host : "[" + host + "]:" + port;
        }
    }

    /** The real host name and port after ~/.ssh/config is applied ({@code ssh -G}). */
    Endpoint endpoint() {
        List<String> cmd = new ArrayList<>(shell.baseArguments("ssh"));
        cmd.add(1, "-G");
        cmd.add("--");
        cmd.add(shell.target().destination());
        String host = shell.target().host();
        int port = shell.target().port() == 0 ? 22 : shell.target().port();
        for (String line : OpenSshShell.local(cmd, "", HELPER_TIMEOUT).split("\n")) {
            String[] kv = line.strip().split(" ", 2);
            if (kv.length == 2 && kv[0].equals("hostname")) {
                host = kv[1];
            } else if (kv.length == 2 && kv[0].equals("port")) {
                port = Integer.parseInt(kv[1]);
            }
        }
        return new Endpoint(host, port);
    }

    /** The server's key fingerprint(s), of the key type ssh complained about when it said which. */
    private static String fingerprint(Endpoint e, String stderr) {
        String keys = OpenSshShell.local(List.of("ssh-keyscan", "-T", "5", "-p", Integer.toString(e.port()), e.host()), "", HELPER_TIMEOUT);
        String listed = keys.isBlank() ? "" : OpenSshShell.local(List.of("ssh-keygen", "-lf", "-"), keys, HELPER_TIMEOUT);
        Matcher m = KEY_TYPE.matcher(stderr);
        String wanted = m.find() ? m.group(1).toUpperCase(Locale.ROOT) : null;
        List<String> all = new ArrayList<>();
        List<String> matching = new ArrayList<>();
        for (String line : listed.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length >= 4 && f[1].startsWith("SHA256:")) {
                String type = f[f.length - 1].replaceAll("[()]", "");
                all.add(f[1] + " (" + type + ")");
                if (type.equals(wanted)) {
                    matching.add(f[1] + " (" + type + ")");
                }
            }
        }
        List<String> shown = matching.isEmpty() ? all : matching;
        return shown.isEmpty() ? "a key ssh-keyscan could not fetch" : "key " + String.join(", ", shown);
    }

    private String knownHostsFile() {
        return shell.options().knownHosts() == null ? "~/.ssh/known_hosts" : shell.options().knownHosts().toString();
    }

    private String removeCommand(Endpoint e) {
        return "ssh-keygen -R " + ShellQuote.quote(e.knownHostsName())
                + (shell.options().knownHosts() == null ? "" : " -f " + ShellQuote.quote(knownHostsFile()));
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
