package org.edgeml.deploy.ssh;

import java.nio.file.Path;

/**
 * How to run OpenSSH: an identity file, a known-hosts file instead of {@code ~/.ssh/known_hosts}, whether to
 * trust a first-seen host key ({@code StrictHostKeyChecking=accept-new}), an ssh config file instead of
 * {@code ~/.ssh/config} (tests; {@code -F}), and the connect timeout. {@code null} paths mean OpenSSH's defaults.
 */
public record SshOptions(Path identity, Path knownHosts, boolean acceptNew, Path configFile, int connectTimeoutSeconds) {
    public SshOptions {
        if (connectTimeoutSeconds < 1 || connectTimeoutSeconds > 600) {
            throw new IllegalArgumentException("connect timeout must be 1..600 s, got " + connectTimeoutSeconds);
        }
    }

    public static SshOptions defaults() {
        return new SshOptions(null, null, false, null, 10);
    }
}
