package org.edgeml.deploy.device;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code status.sh} reports: the complete releases (oldest first), the current one, unfinished uploads,
 * the service mode and state, and the runtime's health file (one line of JSON) when there is one.
 */
public record DeviceStatus(List<String> releases, String current, List<String> partials, String service,
                           String state, String health) {
    public DeviceStatus {
        releases = List.copyOf(releases);
        partials = List.copyOf(partials);
    }

    static DeviceStatus parse(String stdout) {
        List<String> releases = new ArrayList<>();
        List<String> partials = new ArrayList<>();
        String current = null;
        String service = "none";
        String state = null;
        String health = null;
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            switch (line.substring(0, eq)) {
                case "release" -> releases.add(value);
                case "partial" -> partials.add(value);
                case "current" -> current = value;
                case "service" -> service = value;
                case "state" -> state = value;
                case "health" -> health = value;
                default -> { }
            }
        }
        return new DeviceStatus(releases, current, partials, service, state, health);
    }

    /** The release before the current one, or {@code null} when there is none. */
    public String previous() {
        int i = releases.indexOf(current);
        return i > 0 ? releases.get(i - 1) : null;
    }
}
