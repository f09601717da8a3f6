package org.edgeml.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.deploy.ssh.SshOptions;

/**
 * The client side of the SSH tests, all in a temp directory: a user key, an empty known_hosts and an ssh config
 * (used with -F, so ~/.ssh/config is never read) that selects only that key.
 */
final class SshLab {
    final Path dir;
    final Path userKey;
    final Path authorizedKeys;
    final Path knownHosts;
    final Path sshConfig;

    SshLab(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        userKey = dir.resolve("user_ed25519");
        Sshd.keygen(userKey);
        authorizedKeys = dir.resolve("authorized_keys");
        Files.copy(dir.resolve("user_ed25519.pub"), authorizedKeys);
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "");
        sshConfig = dir.resolve("ssh_config");
        Files.writeString(sshConfig, String.join("\n",
                "Host *",
                "  IdentityFile " + userKey,
                "  IdentitiesOnly yes",
                "  IdentityAgent none",
                "  GlobalKnownHostsFile /dev/null",
                ""));
    }

    Path newHostKey(String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Sshd.keygen(key);
        return key;
    }

    Sshd sshd(Path hostKey, int port) throws IOException, InterruptedException {
        return Sshd.start(dir, hostKey, authorizedKeys, port);
    }

    /** Records the server's current key in known_hosts, as a user who verified it would. */
    void trust(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keyscan", "-T", "5", "-p", Integer.toString(port), "127.0.0.1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] keys = p.getInputStream().readAllBytes();
        p.waitFor();
        Files.write(knownHosts, keys, java.nio.file.StandardOpenOption.APPEND);
    }

    String host(int port) {
        return System.getProperty("user.name") + "@127.0.0.1:" + port;
    }

    SshOptions options(boolean acceptNew) {
        return new SshOptions(null, knownHosts, acceptNew, sshConfig, 10);
    }

    /** The command-line flags for the same options. */
    String[] flags() {
        return new String[] {"--ssh-config", sshConfig.toString(), "--known-hosts", knownHosts.toString()};
    }
}
