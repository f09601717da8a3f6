package org.edgeml.runtime.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to log in to the broker: user name and password file, TLS trust and client certificate. The options
 * {@code edgeml run} (in {@link RuntimeOptions}) and {@code edgeml capture} share; {@code null} when not given.
 */
public final class BrokerLogin {
    @Option(names = "--username", paramLabel = "NAME", description = "MQTT user name.")
    String username;
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the MQTT password (first line); deploy uploads it (mode 0600/0640).")
    Path passwordFile;
    @Option(names = "--cafile", paramLabel = "FILE",
            description = "PEM CA certificate(s) the broker's certificate must chain to; deploy uploads it.")
    Path cafile;
    @Option(names = "--cert", paramLabel = "FILE", description = "PEM client certificate (with --key); deploy uploads it.")
    Path cert;
    @Option(names = "--key", paramLabel = "FILE",
            description = "PEM PKCS#8 client private key (with --cert); deploy uploads it (mode 0600/0640).")
    Path key;

    public String username() {
        return username;
    }

    public Path passwordFile() {
        return passwordFile;
    }

    public Path cafile() {
        return cafile;
    }

    public Path cert() {
        return cert;
    }

    public Path key() {
        return key;
    }
}
