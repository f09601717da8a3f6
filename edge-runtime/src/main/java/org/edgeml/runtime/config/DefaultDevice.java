package org.edgeml.runtime.config;

import java.io.IOException;
import java.net.InetAddress;

/** The default device id: the host name, reduced to the characters a device id may hold. */
final class DefaultDevice {
    private DefaultDevice() {}

    static String name() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "edge");
        }
        int dot = host.indexOf('.');
        String name = (dot > 0 ? host.substring(0, dot) : host).replaceAll("[^A-Za-z0-9_-]", "-");
        return name.isEmpty() ? "edge" : name.length() > 64 ? name.substring(0, 64) : name;
    }
}
