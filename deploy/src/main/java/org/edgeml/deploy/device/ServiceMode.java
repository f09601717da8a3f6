package org.edgeml.deploy.device;

import java.util.Locale;

/** How the runtime is kept running on the device. */
public enum ServiceMode {
    /** The systemd unit {@code edgeml.service}, run as the system user {@code edgeml}. */
    SYSTEMD,
    /** The release's {@code supervisor.sh}, run as the login user, where systemd is not running. */
    SUPERVISOR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServiceMode of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
