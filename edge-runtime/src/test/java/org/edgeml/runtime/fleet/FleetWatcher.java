package org.edgeml.runtime.fleet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.edgeml.core.json.Json;

/**
 * The fleet test's watcher, in a JVM of its own so its memory and CPU are its own: subscribes to every
 * device's predictions at QoS 1 with a persistent session (so a broker restart loses nothing queued for it),
 * records each device's seqs per boot, and prints on stdout {@code ready}, then {@code received N} every
 * {@value #PROGRESS_EVERY} messages, and last one JSON line: per device the distinct seqs and the gaps, the
 * duplicates, and this process's peak resident memory and CPU time.
 *
 * <p>Arguments: broker URL, devices, predictions per device, seconds of silence after which to give up.
 */
public final class FleetWatcher {
    static final int PROGRESS_EVERY = 200;

    private final Map<String, BitSet> seqs = new ConcurrentHashMap<>();
    private final Map<String, String> boots = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong otherBoots = new AtomicLong();
    private volatile long lastMessageNanos = System.nanoTime();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int devices = Integer.parseInt(args[1]);
        int perDevice = Integer.parseInt(args[2]);
        Duration quiet = Duration.ofSeconds(Long.parseLong(args[3]));
        new FleetWatcher().run(url, devices, perDevice, quiet);
        System.exit(0);
    }

    private void run(String url, int devices, int perDevice, Duration quiet) throws Exception {
        MqttClient client = new MqttClient(url, "edgeml-fleet-watcher", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(2000);
        options.setMaxInflight(1000);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                record(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        client.connect(options);
        client.subscribe("edgeml/+/prediction", 1);
        System.out.println("ready");
        System.out.flush();
        long expected = (long) devices * perDevice;
        while (distinct() < expected && System.nanoTime() - lastMessageNanos < quiet.toNanos()) {
            Thread.sleep(100);
        }
        client.disconnect(2000);
        client.close();
        System.out.println(Json.write(summary(perDevice)));
        System.out.flush();
    }

    private void record(String payload) {
        lastMessageNanos = System.nanoTime();
        Map<String, Object> m = Json.parseObject(payload);
        String device = (String) m.get("device");
        String boot = (String) m.get("boot");
        if (!boot.equals(boots.computeIfAbsent(device, d -> boot))) {
            otherBoots.incrementAndGet();
            return;
        }
        int seq = Math.toIntExact((Long) m.get("seq"));
        BitSet set = seqs.computeIfAbsent(device, d -> new BitSet());
        synchronized (set) {
            if (set.get(seq)) {
                duplicates.incrementAndGet();
            }
            set.set(seq);
        }
        long n = received.incrementAndGet();
        if (n % PROGRESS_EVERY == 0) {
            synchronized (System.out) {
                System.out.println("received " + n);
                System.out.flush();
            }
        }
    }

    private long distinct() {
        return seqs.values().stream().mapToLong(s -> {
            synchronized (s) {
                return s.cardinality();
            }
        }).sum();
    }

    private Map<String, Object> summary(int perDevice) throws Exception {
        Map<String, Object> perDeviceMissing = new TreeMap<>();
        seqs.forEach((device, set) -> {
            synchronized (set) {
                BitSet missing = new BitSet();
                missing.set(1, perDevice + 1);
                missing.andNot(set);
                perDeviceMissing.put(device, missing.cardinality());
            }
        });
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("devices", seqs.size());
        o.put("received", received.get());
        o.put("distinct", distinct());
        o.put("duplicates", duplicates.get());
        o.put("other_boots", otherBoots.get());
        o.put("missing", perDeviceMissing);
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
