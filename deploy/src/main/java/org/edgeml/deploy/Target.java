package org.edgeml.deploy;

import org.edgeml.deploy.device.Device;
import org.edgeml.deploy.ssh.SshTarget;

/**
 * One device to deploy to: where to reach it, its runtime options (device id filled in from the host name when
 * not given) and its installation prefix ({@code null}: the command's {@code --prefix}).
 */
public record Target(SshTarget ssh, DeviceConfig config, String prefix) {
    public Target {
        java.util.Objects.requireNonNull(ssh, "ssh");
        config = config.withDefaults(ssh.defaultDeviceId());
        config.checkAsRun();
        if (prefix != null) {
            Device.checkPrefix(prefix);
        }
    }

    public String prefixOr(String fallback) {
        return prefix == null ? fallback : prefix;
    }
}
