package org.edgeml.cli.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.edgeml.core.EdgemlException;
import org.edgeml.host.mqtt.Mosquitto;

/**
 * Picks the broker for {@code edgeml demo}: the user's ({@code --broker URL}) if given, else the
 * machine's mosquitto started on a free loopback port, else the embedded broker.
 */
public final class BrokerForDemo {
    private BrokerForDemo() {}

    /**
     * @param userUrl the {@code --broker} URL, or null to start one
     * @param log where to say why mosquitto could not be used, or null
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
                return MosquittoForDemo.start(mosquitto.get());
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
            return MoquetteBroker.start();
        } catch (IOException | RuntimeException e) {
            throw new EdgemlException("demo: cannot start the embedded MQTT broker on 127.0.0.1 (" + e.getMessage()
                    + "); run a broker and pass --broker tcp://HOST:PORT", e);
        }
    }

    /** {@code /usr/sbin/mosquitto}, else the first {@code mosquitto} on the PATH. */
    public static Optional<Path> findMosquitto() {
        return Mosquitto.find();
    }
}
