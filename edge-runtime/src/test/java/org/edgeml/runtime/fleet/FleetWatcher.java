package org.edgeml.runtime.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.edgeml.core.json.Json;
import org.edgeml.runtime.mqtt.Subscriber;

/**
 * The fleet test's watcher, in a JVM of its own so its memory and CPU are its own: subscribes to every
 * device's predictions at QoS 1 with a persistent session ({@link Subscriber}) (so a broker restart loses nothing queued for it),
 * records each device's seqs per boot, and prints on stdout {@code ready}, then {@code received N} every
 * {@value #PROGRESS_EVERY} messages, and last one JSON line: the distinct seqs, the devices with gaps (and how many seqs each lacks), the
 * duplicates, and this process's peak resident memory and CPU time.
 *
 * <p>Arguments: broker URL, devices, predictions per device, seconds of silence after which to give up.
 */
public final class FleetWatcher {
    static final int PROGRESS_EVERY = 200;

    private final Map<String, BitSet> seqs = new TreeMap<>();
    private final Map<String, String> boots = new TreeMap<>();
    private long received;
    private long distinct;
    private long duplicates;
    private long otherBoots;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int devices = Integer.parseInt(args[1]);
        int perDevice = Integer.parseInt(args[2]);
        Duration quiet = Duration.ofSeconds(Long.parseLong(args[3]));
        new FleetWatcher().run(url, devices, perDevice, quiet);
        System.exit(0);
    }

    private void run(String url, int devices, int perDevice, Duration quiet) throws Exception {
        long expected = (long) devices * perDevice;
        try (Subscriber subscriber = new Subscriber(url, "edgeml-fleet-watcher", true, "edgeml/+/prediction")) {
            System.out.println("ready");
            System.out.flush();
            Subscriber.Received r;
            while (distinct < expected && (r = subscriber.poll(quiet)) != null) {
                record(r.payload());
            }
        }
        System.out.println(Json.write(summary(perDevice)));
        System.out.flush();
    }

    private void record(String payload) {
        Map<String, Object> m = Json.parseObject(payload);
        String device = (String) m.get("device");
        String boot = (String) m.get("boot");
        if (!boot.equals(boots.computeIfAbsent(device, d -> boot))) {
            otherBoots++;
            return;
        }
        int seq = Math.toIntExact((Long) m.get("seq"));
        BitSet set = seqs.computeIfAbsent(device, d -> new BitSet());
        if (set.get(seq)) {
            duplicates++;
        } else {
            set.set(seq);
            distinct++;
        }
        if (++received % PROGRESS_EVERY == 0) {
            System.out.println("received " + received);
            System.out.flush();
        }
    }

    private Map<String, Object> summary(int perDevice) throws Exception {
        Map<String, Object> perDeviceMissing = new TreeMap<>();
        seqs.forEach((device, set) -> {
            BitSet missing = new BitSet();
            missing.set(1, perDevice + 1);
            missing.andNot(set);
            if (!missing.isEmpty()) {
                perDeviceMissing.put(device, missing.cardinality());
            }
        });
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("devices", seqs.size());
        o.put("received", received);
        o.put("distinct", distinct);
        o.put("duplicates", duplicates);
        o.put("other_boots", otherBoots);
        o.put("missing", perDeviceMissing); // devices with gaps: how many seqs each lacks
        o.put("peak_rss_kb", peakRssKb(ProcessHandle.current().pid()));
        o.put("cpu_ms", ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis());
        return o;
    }

    /** The peak resident set size of a process (Linux: VmHWM in /proc/PID/status), in KB; -1 when unknown. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
