package org.edgeml.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.RuntimeMain;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet on loopback: runtimes (in this JVM, each with its own device id, client id and session) classify
 * replayed frames at 10 frames/s and publish at QoS 1 to one mosquitto, while a watcher in its own JVM
 * receives them; the broker is stopped for 3 s and started again once, when a fifth of the predictions have
 * arrived. Every device's seqs 1..N must arrive. The broker restart is triggered by the count received, never by
 * time, and nothing asserts how fast anything is. The runs are long enough (30 s) that every runtime has
 * reconnected (Paho retries at most 10 s apart) before its {@code --count} ends: a run that ends while its
 * buffer waits for a reconnect is another matter (issue 14, item 13).
 *
 * <p>As a test: 6 runtimes of 300 frames. As the benchmark (bench/fleet-load.sh):
 * {@code -Dedgeml.fleet.runtimes=50 -Dedgeml.fleet.frames=600}; either way the peak memory (VmHWM) and CPU
 * time of the broker, the runtimes' JVM and the watcher are printed and written to
 * {@code target/fleet-load.json}.
 */
class FleetUnderLoadTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final int FPS = 10;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void everySeqArrivesThroughABrokerRestart() throws Exception {
        int runtimes = Integer.getInteger("edgeml.fleet.runtimes", 6);
        int frames = Integer.getInteger("edgeml.fleet.frames", 300);
        long total = (long) runtimes * frames;
        Path data = dir.resolve("data");
        IdxTestFiles.writeDataset(data, frames, 28, 10, false);
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(21, 28, Activation.RELU, 16, 10), model);
        ProcessStats brokerStats = new ProcessStats();
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")))) {
            Process watcher = startWatcher(broker.url(), runtimes, frames);
            BufferedReader lines = new BufferedReader(new InputStreamReader(watcher.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", lines.readLine(), "the watcher subscribed");
            String load = loadAverage();
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(runtimes);
            List<CompletableFuture<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < runtimes; i++) {
                String[] args = {"--model", model.toString(), "--source", "idx:" + data, "--count", String.valueOf(frames),
                    "--fps", String.valueOf(FPS), "--qos", "1", "--broker", broker.url(), "--device", String.format("pi%02d", i),
                    "--no-discovery"};
                runs.add(CompletableFuture.supplyAsync(() -> RuntimeMain.run(args, QUIET, QUIET), pool));
            }
            String line;
            boolean restarted = false;
            String summary = null;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("received ") && !restarted && Long.parseLong(line.substring(9)) >= total / 5) {
                    restarted = true;
                    brokerStats.add(broker.pid());
                    broker.stop();
                    Thread.sleep(3000);
                    broker.start();
                } else if (line.startsWith("{")) {
                    summary = line;
                }
            }
            assertTrue(watcher.waitFor(1, TimeUnit.MINUTES));
            for (CompletableFuture<Integer> run : runs) {
                assertEquals(0, run.get(), "a runtime's exit code");
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - started) / 1e9;
            brokerStats.add(broker.pid());
            assertTrue(restarted, "the broker was restarted");
            assertNotNull(summary, "the watcher's summary");
            Map<String, Object> watched = Json.parseObject(summary);
            report(runtimes, frames, seconds, load, brokerStats, watched);
            assertEquals((long) runtimes, watched.get("devices"));
            assertEquals(total, watched.get("distinct"), "every seq of every device: " + summary);
            assertEquals(0L, watched.get("other_boots"), "one run per device");
        }
    }

    private Process startWatcher(String url, int runtimes, int frames) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                FleetWatcher.class.getName(), url, String.valueOf(runtimes), String.valueOf(frames), "60")
                .redirectError(dir.resolve("watcher.err").toFile()).start();
    }

    /** Peak memory (the largest of the broker's lives) and CPU time (summed) of a process that is restarted. */
    private static final class ProcessStats {
        long peakRssKb = -1;
        long cpuMillis;

        void add(long pid) {
            peakRssKb = Math.max(peakRssKb, FleetWatcher.peakRssKb(pid));
            cpuMillis += ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO).toMillis();
        }
    }

    /** The sum of the heap pools' peak use: what the runtimes needed, whatever the heap was allowed to grow to. */
    private static long peakHeapUsedKb() {
        return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum() / 1024;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void report(int runtimes, int frames, double seconds, String loadBefore, ProcessStats broker,
                               Map<String, Object> watched) throws Exception {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("runtimes", runtimes);
        o.put("frames_per_runtime", frames);
        o.put("fps_per_runtime", FPS);
        o.put("seconds", Math.round(seconds * 10) / 10.0);
        o.put("loadavg_before", loadBefore);
        o.put("loadavg_after", loadAverage());
        o.put("cpus", Runtime.getRuntime().availableProcessors());
        o.put("broker", Map.of("peak_rss_kb", broker.peakRssKb, "cpu_ms", broker.cpuMillis));
        o.put("runtimes_jvm", Map.of("peak_rss_kb", FleetWatcher.peakRssKb(ProcessHandle.current().pid()), "cpu_ms",
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis(),
                "peak_heap_used_kb", peakHeapUsedKb()));
        o.put("watcher", watched);
        String json = Json.pretty(o);
        System.out.println("fleet load: " + json);
        Files.writeString(Path.of("target/fleet-load.json"), json + "\n");
    }
}
