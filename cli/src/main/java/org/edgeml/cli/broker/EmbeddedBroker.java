package org.edgeml.cli.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small in-process MQTT 3.1.1 broker on 127.0.0.1, for the demo on machines without mosquitto:
 * QoS 0 and 1 (QoS 2 publications are accepted and delivered at QoS 1), wildcards, retained messages,
 * last wills, keep-alive, and persistent sessions kept in memory. A thread per connection, at most
 * {@value #MAX_CONNECTIONS} connections, packets of at most 1 MiB; anonymous access only, no TLS.
 */
public final class EmbeddedBroker implements DemoBroker {
    public static final int MAX_CONNECTIONS = 64;
    private static final long TAKEOVER_WAIT_MILLIS = 5_000;
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final ServerSocket server;
    private final PrintStream log;
    private final Router router = new Router();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumbers = new AtomicInteger();
    private final AtomicInteger generatedIds = new AtomicInteger();
    private final Object sessionLock = new Object();
    private final Thread acceptor;

    private EmbeddedBroker(ServerSocket server, PrintStream log) {
        this.server = server;
        this.log = log;
        this.acceptor = new Thread(this::acceptLoop, "edgeml-broker-accept");
        acceptor.setDaemon(true);
    }

    /** Starts a silent broker; port 0 picks a free port. */
    public static EmbeddedBroker start(int port) throws IOException {
        return start(port, null);
    }

    /** Starts a broker that logs one line per connection event to {@code log} (null: nothing). */
    public static EmbeddedBroker start(int port, PrintStream log) throws IOException {
        EmbeddedBroker broker = new EmbeddedBroker(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()), log);
        broker.acceptor.start();
        broker.log("listening on " + broker.url());
        return broker;
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public String url() {
        return "tcp://127.0.0.1:" + port();
    }

    @Override
    public String description() {
        return "embedded broker on port " + port();
    }

    /** Stops accepting, closes every connection and waits for their threads to finish, bounded. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (ClientConnection c : connections) {
            c.closeSocket();
        }
        try {
            acceptor.join(CLOSE_WAIT_MILLIS);
            for (ClientConnection c : connections) {
                c.awaitEnd(CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log("accept failed: " + e.getMessage());
                    pauseAfterFailedAccept();
                }
                continue;
            }
            if (connections.size() >= MAX_CONNECTIONS) {
                log("refused a connection: already " + MAX_CONNECTIONS + " clients");
                closeQuietly(socket);
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(socket);
                continue;
            }
            ClientConnection c = new ClientConnection(socket, this, router,
                    "edgeml-broker-client-" + connectionNumbers.incrementAndGet());
            connections.add(c);
            if (server.isClosed()) {
                c.closeSocket();
            }
            c.start();
        }
    }

    /**
     * Takes over the client id for a new connection: an older connection with the same id is closed
     * (and its will published) first, then the session is started clean or resumed.
     *
     * @return whether a persistent session was resumed
     */
    boolean openSession(ClientConnection c, boolean clean) throws InterruptedException {
        String id = c.clientId();
        synchronized (sessionLock) {
            for (ClientConnection old : connections) {
                if (old != c && id.equals(old.clientId())) {
                    log("client " + id + " connected again; closing its previous connection");
                    old.closeSocket();
                    old.awaitEnd(TAKEOVER_WAIT_MILLIS);
                }
            }
            Session existing = router.session(id);
            boolean resumed = !clean && existing != null && !existing.clean();
            Session session = resumed ? existing : new Session(id, clean);
            router.putSession(session);
            c.begin(session, resumed);
            return resumed;
        }
    }

    String newClientId() {
        return "edgeml-anonymous-" + generatedIds.incrementAndGet();
    }

    void connectionEnded(ClientConnection c) {
        connections.remove(c);
    }

    void log(String line) {
        if (log != null) {
            log.println("broker: " + line);
        }
    }

    /** Out of file descriptors, say: do not spin. */
    private static void pauseAfterFailedAccept() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
