package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime through a broker outage, against a real mosquitto that is stopped in the middle of a run and
 * started again on the same port (its persistence keeps the subscriber's session): with QoS 1, a persistent
 * session and the offline buffer, nothing the runtime classified is lost.
 */
class BrokerOutageTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private Path model() {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(21, 28, Activation.RELU, 16, 10), model);
        return model;
    }

    private CompletableFuture<Integer> runtime(String... args) {
        return CompletableFuture.supplyAsync(() -> RuntimeMain.run(args, QUIET, QUIET));
    }

    /** Receives predictions until {@code until} says stop or nothing arrives for {@code quiet}; returns seqs with duplicates removed. */
    private static TreeSet<Long> collect(Subscriber s, Duration quiet, java.util.function.IntConsumer progress,
                                         java.util.function.Predicate<TreeSet<Long>> until) throws InterruptedException {
        TreeSet<Long> seqs = new TreeSet<>();
        String boot = null;
        Subscriber.Received r;
        while (!until.test(seqs) && (r = s.poll(quiet)) != null) {
            Map<String, Object> m = Json.parseObject(r.payload());
            if (boot == null) {
                boot = (String) m.get("boot");
            }
            assertEquals(boot, m.get("boot"), "one run");
            seqs.add((Long) m.get("seq"));
            progress.accept(seqs.size());
        }
        return seqs;
    }

    @Test
    void aFifteenSecondOutageInA5000FrameRunLosesNothing() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(150), () -> {
            int frames = 5000;
            Path data = dir.resolve("data");
            IdxTestFiles.writeDataset(data, frames, 28, 10, false);
            try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
                    Subscriber s = new Subscriber(broker.url(), "outage-sub", true, "edgeml/outage/prediction")) {
                CompletableFuture<Integer> run = runtime("--model", model().toString(), "--source", "idx:" + data,
                        "--broker", broker.url(), "--device", "outage", "--qos", "1", "--fps", "170",
                        "--client-id", "edgeml-outage", "--no-discovery");
                CompletableFuture<Void> outage = new CompletableFuture<>();
                TreeSet<Long> seqs = collect(s, Duration.ofSeconds(60), received -> {
                    if (received == 1200 && !outage.isDone()) {
                        outage.complete(null);
                        new Thread(() -> {
                            try {
                                broker.stop();
                                Thread.sleep(15_000);
                                broker.start();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }, "outage").start();
                    }
                }, got -> got.size() == frames);
                assertEquals(0, run.get());
                assertTrue(outage.isDone(), "the outage happened");
                assertEquals(frames, seqs.size(), "missing: " + missing(seqs, frames));
                assertEquals(1L, seqs.first());
                assertEquals((long) frames, seqs.last());
            }
        });
    }

    /**
     * A small offline buffer through an outage: the newest messages survive, the oldest are dropped, and the
     * drop count in the status (and the health file) is exactly what the subscriber misses.
     */
    @Test
    void aSmallOfflineBufferDropsTheOldestAndCountsThem() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            int frames = 1500;
            Path data = dir.resolve("data");
            IdxTestFiles.writeDataset(data, frames, 28, 10, false);
            Path health = dir.resolve("health.json");
            try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
                    Subscriber s = new Subscriber(broker.url(), "drops-sub", true, "edgeml/drops/prediction");
                    Subscriber status = new Subscriber(broker.url(), "drops-status", true, "edgeml/drops/status")) {
                CompletableFuture<Integer> run = runtime("--model", model().toString(), "--source", "idx:" + data,
                        "--broker", broker.url(), "--device", "drops", "--fps", "150", "--offline-buffer", "100",
                        "--no-discovery", "--health-file", health.toString());
                TreeSet<Long> seqs = collect(s, Duration.ofSeconds(30), received -> {
                    if (received == 300) {
                        try {
                            broker.stop();
                            Thread.sleep(4000);
                            broker.start();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, got -> got.contains((long) frames));
                assertEquals(0, run.get());
                long missing = frames - seqs.size();
                assertTrue(missing > 100, "the outage overflowed the buffer: " + missing + " missing");
                // What is missing is one block: the oldest messages of the outage, not the newest.
                long firstGap = 1;
                while (seqs.contains(firstGap)) {
                    firstGap++;
                }
                for (long i = firstGap; i < firstGap + missing; i++) {
                    assertTrue(!seqs.contains(i), "missing messages are contiguous, " + i + " arrived");
                }
                assertEquals(missing, Json.parseObject(Files.readString(health)).get("dropped"), "health file");
                long reported = -1;
                Subscriber.Received r;
                while ((r = status.poll(Duration.ofSeconds(2))) != null) {
                    Map<String, Object> m = Json.parseObject(r.payload());
                    if ("online".equals(m.get("state"))) {
                        reported = (Long) m.get("dropped");
                    }
                }
                assertEquals(missing, reported, "the status after reconnecting reports the drops");
            }
        });
    }

    private static String missing(TreeSet<Long> seqs, int frames) {
        StringBuilder out = new StringBuilder();
        for (long i = 1, n = 0; i <= frames && n < 20; i++) {
            if (!seqs.contains(i)) {
                out.append(i).append(' ');
                n++;
            }
        }
        return out.toString();
    }
}
