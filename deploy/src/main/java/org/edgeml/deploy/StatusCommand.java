package org.edgeml.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.core.json.Json;
import org.edgeml.deploy.device.Device;
import org.edgeml.deploy.device.DeviceStatus;
import org.edgeml.deploy.device.Installation;
import org.edgeml.deploy.ssh.SshTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeml status --host [user@]HOST[:PORT]}. */
@Command(name = "status", header = "Show a device's releases, the current one, the service and the runtime's health.", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show a device's releases, which one is current, the service and the runtime's health.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "[USER@]HOST[:PORT]", required = true, description = "The device.")
    String host;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Mixin
    SshMixin ssh;

    @Override
    public Integer call() {
        SshTarget target = SshTarget.parse(host);
        DeviceStatus status;
        try (Device device = ssh.device(target)) {
            status = Installation.find(device).device().status();
        }
        if (json) {
            System.out.println(Json.write(toJson(target, status)));
        } else {
            System.out.print(text(target, status));
        }
        return 0;
    }

    static String text(SshTarget target, DeviceStatus s) {
        StringBuilder out = new StringBuilder();
        out.append(target).append(": service ").append(s.service()).append(s.state() == null ? "" : " (" + s.state() + ")").append('\n');
        List<String> newestFirst = new ArrayList<>(s.releases());
        java.util.Collections.reverse(newestFirst);
        for (String release : newestFirst) {
            out.append(release.equals(s.current()) ? "  * " : "    ").append(release)
                    .append(release.equals(s.current()) ? "  (current)" : "").append('\n');
        }
        for (String partial : s.partials()) {
            out.append("    ").append(partial).append("  (unfinished upload, never current)\n");
        }
        out.append("  health: ").append(s.health() == null ? "no health file" : s.health()).append('\n');
        return out.toString();
    }

    static Map<String, Object> toJson(SshTarget target, DeviceStatus s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("host", target.toString());
        o.put("current", s.current());
        o.put("releases", s.releases());
        o.put("partials", s.partials());
        o.put("service", s.service());
        o.put("state", s.state());
        o.put("health", s.health() == null ? null : parseOrText(s.health()));
        return o;
    }

    private static Object parseOrText(String health) {
        try {
            return Json.parse(health);
        } catch (RuntimeException e) {
            return health;
        }
    }
}
