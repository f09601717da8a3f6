package org.edgeml.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Helpers for test servers (sshd, mosquitto) on loopback ports. */
public final class LocalServer {
    private LocalServer() {}

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits up to 15 s until {@code process} accepts connections on {@code port}; kills it and throws otherwise. */
    public static void awaitListening(Process process, int port, Path log, String name) throws IOException, InterruptedException {
        awaitListening(process, port, log, name, 15);
    }

    /** As above, waiting up to {@code seconds} (servers under emulation start slowly). */
    public static void awaitListening(Process process, int port, Path log, String name, int seconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IOException(name + " did not listen on " + port + ": " + Files.readString(log));
    }
}
