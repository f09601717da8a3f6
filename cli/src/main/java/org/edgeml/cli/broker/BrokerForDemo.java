package org.edgeml.cli.broker;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.edgeml.core.EdgemlException;

/**
 * Picks the broker for {@code edgeml demo}: the user's ({@code --broker URL}) if given, else the
 * machine's mosquitto started on a free loopback port, else the embedded broker.
 */
public final class BrokerForDemo {
    public static final Path DEBIAN_MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    private BrokerForDemo() {}

    /**
     * @param userUrl the {@code --broker} URL, or null to start one
     * @param log where to say why mosquitto could not be used, or null (the embedded broker logs nothing)
     */
    public static DemoBroker open(String userUrl, PrintStream log) {
        return open(userUrl, findMosquitto(), log);
    }

    /** As {@link #open(String, PrintStream)}, with the mosquitto binary to use (empty: none installed). */
    public static DemoBroker open(String userUrl, Optional<Path> mosquitto, PrintStream log) {
        if (userUrl != null) {
            return new UserBroker(userUrl);
        }
        if (mosquitto.isPresent()) {
            try {
                return MosquittoProcess.start(mosquitto.get());
            } catch (IOException e) {
                if (log != null) {
                    log.println("mosquitto did not start (" + e.getMessage() + "); using the embedded broker");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EdgemlException("demo: interrupted while starting mosquitto", e);
            }
        }
        try {
            return EmbeddedBroker.start(0);
        } catch (IOException e) {
            throw new EdgemlException("demo: cannot start the embedded MQTT broker on 127.0.0.1 (" + e.getMessage()
                    + "); run a broker and pass --broker tcp://HOST:PORT", e);
        }
    }

    /** {@code /usr/sbin/mosquitto}, else the first {@code mosquitto} on the PATH. */
    public static Optional<Path> findMosquitto() {
        if (Files.isExecutable(DEBIAN_MOSQUITTO)) {
            return Optional.of(DEBIAN_MOSQUITTO);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            try {
                Path candidate = Path.of(dir, "mosquitto");
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException ignored) {
                // not a directory name: skip it
            }
        }
        return Optional.empty();
    }
}
