package org.edgeml.deploy.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The POSIX sh scripts that run on the device (resources next to this class); each needs only sh and coreutils. */
public enum DeviceScript {
    PREFLIGHT("preflight.sh"),
    LOCK("lock.sh"),
    PREPARE("prepare.sh"),
    ACTIVATE("activate.sh"),
    SWITCH("switch.sh"),
    SERVICE("service.sh"),
    STATUS("status.sh"),
    LOGS("logs.sh"),
    /** Not run over SSH: shipped in each release and started by {@link #SERVICE} where systemd is not running. */
    SUPERVISOR("supervisor.sh");

    private final String resource;

    DeviceScript(String resource) {
        this.resource = resource;
    }

    public String fileName() {
        return resource;
    }

    public String text() {
        try (InputStream in = DeviceScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
