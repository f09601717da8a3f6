package org.edgeml.deploy;

import org.edgeml.deploy.ssh.SshTarget;

/** One device to deploy to: where to reach it, and its runtime options (device id filled in). */
public record Target(SshTarget ssh, DeviceConfig config) {
    public Target {
        java.util.Objects.requireNonNull(ssh, "ssh");
        config = config.withDefaults(ssh.defaultDeviceId());
    }
}
