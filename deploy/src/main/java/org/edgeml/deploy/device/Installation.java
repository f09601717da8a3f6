package org.edgeml.deploy.device;

import org.edgeml.core.EdgemlException;

/** An existing edgeml installation on a device: how to reach it (as root or not), its service mode and Java. */
public record Installation(Device device, ServiceMode mode, String java, Preflight preflight) {

    /** Looks at the device (read-only); throws when nothing was ever deployed under its prefix. */
    public static Installation find(Device device) {
        Preflight preflight = device.preflight("none", false);
        if (preflight.serviceMode() == null) {
            throw new EdgemlException(device.name() + ": nothing deployed under " + device.prefix()
                    + " (no service-mode file); deploy first, or give the right --prefix");
        }
        ServiceMode mode = ServiceMode.of(preflight.serviceMode());
        return new Installation(device.asRoot(preflight.needsRoot(mode)), mode, preflight.java(), preflight);
    }
}
