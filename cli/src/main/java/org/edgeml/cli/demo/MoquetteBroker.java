package org.edgeml.cli.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moquette (an MQTT 3.1.1 broker from Maven Central) in this JVM on a free loopback port, for the demo on
 * machines without mosquitto: anonymous, in memory, plain TCP, no telemetry.
 */
public final class MoquetteBroker implements DemoBroker {
    /**
     * Moquette logs every packet (CONNECT, PUBLISH, PUBACK) at INFO: for the demo's 500 predictions that is a
     * thousand lines around the results. Its warnings and errors still show; a logging configuration that sets
     * the level itself wins. Held here because JUL keeps loggers only weakly.
     */
    private static final Logger MOQUETTE_LOG = Logger.getLogger("io.moquette");

    private final Server server;
    private final int port;
    private boolean stopped;

    private MoquetteBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the broker on a free port of the loopback interface. (Moquette given port 0 reports the port
     * it bound from another thread, some time later, so the port is picked here; another program taking it
     * in between makes this try again with another.)
     */
    public static MoquetteBroker start() throws IOException {
        if (MOQUETTE_LOG.getLevel() == null) {
            MOQUETTE_LOG.setLevel(Level.WARNING);
        }
        for (int attempt = 1; ; attempt++) {
            int port = freeLoopbackPort();
            Server server = new Server();
            try {
                server.startServer(new MemoryConfig(settings(port)));
                return new MoquetteBroker(server, port);
            } catch (RuntimeException e) {
                stopQuietly(server);
                if (!(e.getCause() instanceof BindException) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static Properties settings(int port) {
        Properties settings = new Properties();
        settings.setProperty("host", InetAddress.getLoopbackAddress().getHostAddress());
        settings.setProperty("port", Integer.toString(port));
        settings.setProperty("allow_anonymous", "true");
        // mosquitto_sub/pub and Paho may connect with an empty client id, as MQTT 3.1.1 allows
        settings.setProperty("allow_zero_byte_client_id", "true");
        settings.setProperty("persistence_enabled", "false");
        // Moquette otherwise reports the machine's JVM and memory to telemetry.moquette.io
        settings.setProperty("telemetry_enabled", "false");
        return settings;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stopServer();
        } catch (RuntimeException ignored) {
            // a half-started server: nothing more to stop
        }
    }

    public int port() {
        return port;
    }

    @Override
    public String url() {
        return "tcp://127.0.0.1:" + port();
    }

    @Override
    public String description() {
        return "embedded broker (Moquette) on port " + port();
    }

    @Override
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            server.stopServer();
        }
    }
}
