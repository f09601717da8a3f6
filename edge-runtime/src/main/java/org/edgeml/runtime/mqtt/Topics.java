package org.edgeml.runtime.mqtt;

import java.util.Objects;

/** The MQTT topics of one device. */
public record Topics(String prefix, String device) {
    /** Home Assistant announces its own start with {@code online} here. */
    public static final String HA_STATUS = "homeassistant/status";

    public Topics {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(device, "device");
    }

    public String prediction() {
        return prefix + "/" + device + "/prediction";
    }

    public String status() {
        return prefix + "/" + device + "/status";
    }

    /** Where the runtime takes JSON commands (subscribed at QoS 1 unless {@code --no-commands}). */
    public String set() {
        return prefix + "/" + device + "/set";
    }

    /** Where a bad command gets its one-line JSON reply. */
    public String error() {
        return prefix + "/" + device + "/error";
    }

    /** Where the snapshot command's picture goes. */
    public String snapshot() {
        return prefix + "/" + device + "/snapshot";
    }

    /** Where the capture command's frames go, as PNG. */
    public String capture(String label) {
        return prefix + "/" + device + "/capture/" + label;
    }

    public String discovery() {
        return "homeassistant/sensor/" + device + "_prediction/config";
    }
}
