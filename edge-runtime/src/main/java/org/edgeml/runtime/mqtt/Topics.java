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

    public String discovery() {
        return "homeassistant/sensor/" + device + "_prediction/config";
    }
}
