package org.edgeml.runtime.mqtt;

import java.time.Instant;
import java.util.Objects;

/**
 * Who is speaking: the device, the model it runs and this run of the runtime.
 *
 * @param model   the model id
 * @param version the runtime's version
 * @param boot    an id of this run (new on every start), so consumers can tell runs apart as seq restarts
 */
public record DeviceIdentity(String device, String model, String version, String boot, Instant started) {
    public DeviceIdentity {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(boot, "boot");
        Objects.requireNonNull(started, "started");
    }
}
