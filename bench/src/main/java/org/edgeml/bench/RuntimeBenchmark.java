package org.edgeml.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.model.Q8Model;
import org.edgeml.host.data.IdxWriter;
import org.edgeml.host.mqtt.Mosquitto;
import org.edgeml.host.mqtt.MqttSubscription;
import org.edgeml.mqtt.Broker;
import org.edgeml.runtime.RuntimeMain;

/**
 * The runtime as a whole, in its own JVM with {@code -Xmx32m}: frames replayed from an IDX file, classified
 * and published at QoS 1 to a real mosquitto, received by an independent subscriber. Measures frames per
 * second end to end, the time from starting the JVM to the first prediction arriving, and the runtime's peak
 * resident memory ({@code VmHWM}).
 */
final class RuntimeBenchmark {
    static final Path MOSQUITTO = Mosquitto.DEBIAN_BINARY;

    /** What one run measured. */
    record Result(int frames, double framesPerSecond, double startupMillis, double peakRssMb, int exitCode) {
        double usPerFrame() {
            return 1e6 / framesPerSecond;
        }
    }

    private RuntimeBenchmark() {}

    /**
     * {@code count} seeded frames of the model's input size (grey: what an IDX file holds), labelled with
     * the classes the model gives them.
     */
    static LabeledImages frames(Q8Model model, int count, long seed) {
        var input = model.input();
        byte[][] images = BenchModel.blobPixels(input.height(), input.width(), 1, count, seed);
        Int8Engine engine = new Int8Engine(model);
        byte[] pixels = new byte[count * input.height() * input.width()];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            System.arraycopy(images[n], 0, pixels, n * images[n].length, images[n].length);
            labels[n] = engine.classifyPixels(images[n]);
        }
        return new LabeledImages(input.height(), input.width(), pixels, labels);
    }

    static boolean available() {
        return Files.isExecutable(MOSQUITTO);
    }

    static Result run(Path model, LabeledImages images, Path dir, PrintStream log) throws IOException, InterruptedException {
        Path data = Files.createDirectories(dir.resolve("runtime-frames"));
        IdxWriter.write(data, "t10k", images);
        try (Mosquitto broker = Mosquitto.start(MOSQUITTO, dir, Mosquitto.ANONYMOUS, false)) {
            String url = broker.url();
            AtomicLong received = new AtomicLong();
            AtomicLong first = new AtomicLong();
            AtomicLong last = new AtomicLong();
            try (MqttSubscription ignored = new MqttSubscription(Broker.plain(url), (topic, payload) -> {
                long now = System.nanoTime();
                if (received.incrementAndGet() == 1) {
                    first.set(now);
                }
                last.set(now);
            }, "edgeml/bench/prediction")) {
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx32m", "-XX:+UseSerialGC"));
                command.addAll(DenseKernels.JVM_OPTIONS);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), RuntimeMain.class.getName(),
                        "--model", model.toString(), "--source", "idx:" + data, "--broker", url, "--device", "bench",
                        "--qos", "1", "--count", Integer.toString(images.count()), "--no-discovery"));
                log.println("edgeml bench: runtime end to end: " + images.count() + " frames to mosquitto at QoS 1, -Xmx32m");
                long start = System.nanoTime();
                Process runtime = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("runtime.log").toFile()).start();
                long peakKb = 0;
                while (!runtime.waitFor(20, TimeUnit.MILLISECONDS)) {
                    peakKb = Math.max(peakKb, highWaterMarkKb(runtime.pid()));
                    boolean stalled = received.get() == 0 && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60);
                    if (stalled || System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
                        log.println("edgeml bench: the runtime " + (stalled ? "sent nothing in 60 s" : "took over 5 minutes")
                                + "; stopped it (see " + dir.resolve("runtime.log") + ")");
                        runtime.destroyForcibly();
                        break;
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.get() < images.count() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long n = received.get();
                double seconds = (last.get() - first.get()) / 1e9;
                return new Result((int) n, n > 1 && seconds > 0 ? (n - 1) / seconds : Double.NaN,
                        n > 0 ? (first.get() - start) / 1e6 : Double.NaN, peakKb / 1024.0, runtime.exitValue());
            }
        }
    }

    /** The process's peak resident set so far, from /proc (0 when unknown or already gone). */
    private static long highWaterMarkKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
