package org.edgeml.deploy.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgeml.core.EdgemlException;

/**
 * Where to connect: {@code [user@]HOST[:PORT]} as the user wrote it. The host may be an alias from
 * {@code ~/.ssh/config}; user and port are {@code null}/0 when not given, so OpenSSH's own configuration
 * decides them.
 */
public record SshTarget(String user, String host, int port) {
    private static final Pattern FORM = Pattern.compile(
            "(?:([A-Za-z0-9._][A-Za-z0-9._-]{0,63})@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]{1,253})(?::(\\d{1,5}))?");

    public SshTarget {
        if (host == null || host.isEmpty() || host.startsWith("-")) {
            throw new EdgemlException("host: '" + host + "' is not a host name; use [user@]HOST[:PORT]");
        }
        if (port < 0 || port > 65535) {
            throw new EdgemlException("host: port " + port + " is out of range; use 1 to 65535");
        }
    }

    /** Parses {@code [user@]HOST[:PORT]}; IPv6 addresses go in brackets: {@code pi@[fe80::1]:22}. */
    public static SshTarget parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new EdgemlException("host: '" + text + "' is not [user@]HOST[:PORT]; e.g. pi@raspberrypi.local or pi@10.0.0.7:2222");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        if (m.group(3) != null && port == 0) {
            throw new EdgemlException("host: port 0 is not a port; use 1 to 65535");
        }
        return new SshTarget(m.group(1), host, port);
    }

    /** What ssh gets as its destination argument. */
    public String destination() {
        return user == null ? host : user + "@" + host;
    }

    /** The default device id: the host name up to its first dot, reduced to the characters an id may hold. */
    public String defaultDeviceId() {
        int dot = host.indexOf('.');
        String name = (dot > 0 && !host.matches("[0-9.]+") ? host.substring(0, dot) : host).replaceAll("[^A-Za-z0-9_-]", "-");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (user == null ? "" : user + "@") + h + (port == 0 ? "" : ":" + port);
    }
}
