package org.edgeml.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.io.TempDirs;
import org.edgeml.quantizer.cli.TextTable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeml bench}: the int8 engine against its peers, side by side in one run. */
@Command(name = "bench", header = "Measure the int8 engine against the peers (JMH): latency, throughput, preprocessing.", mixinStandardHelpOptions = true,
        description = "Measure, on the same model and images and with one thread each, the int8 engine (scalar "
            + "reference and Vector API kernel), a float32 Java reference, DL4J, ONNX Runtime (float and int8 QDQ), "
            + "and preprocessing of a 640x480 frame: latency at batch 1 and throughput at batch "
            + InferenceBenchmarks.BATCH + " (JMH underneath). "
            + "Default model: a random 784-128-10 ReLU network quantized with edgeml's quantizer.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "MODEL.q8", description = "An int8 model (needs --float too).")
    Path model;

    @Option(names = "--float", paramLabel = "FLOAT.zip", description = "The float model MODEL.q8 was quantized from.")
    Path floatModel;

    @Option(names = "--quick", description = "A smoke run: in-process, a fraction of a second per benchmark (numbers are rough).")
    boolean quick;

    @Option(names = "--only", paramLabel = "REGEX",
            description = "Run only the benchmarks whose whole method name matches, e.g. 'int8Vector|ortInt8' (see docs/benchmarks.md).")
    String only;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the default model and the images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object on stdout (JMH's progress goes to stderr).")
    boolean json;

    /**
     * One line of the result table: the median time per image of the sampled calls, and half their
     * interquartile range as the error.
     */
    public record Row(String name, String description, double usPerImage, double error) {
        public double imagesPerSecond() {
            return 1e6 / usPerImage;
        }
    }

    @Override
    public Integer call() throws IOException {
        if ((model == null) != (floatModel == null)) {
            throw new EdgemlException("--model and --float go together: the int8 model and the float model it was quantized from");
        }
        if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
            System.err.println("edgeml bench: warning: OMP_NUM_THREADS is not 1; DL4J will use several threads");
        }
        if (!DenseKernels.vectorAvailable()) {
            throw new EdgemlException("the Vector API kernel is unavailable in this JVM: run bench through ./edgeml"
                    + " (it passes --add-modules jdk.incubator.vector)");
        }
        Path dir = Files.createTempDirectory("edgeml-bench");
        try {
            Path int8 = model;
            Path floats = floatModel;
            if (model == null) {
                BenchModel random = BenchModel.random(seed, InferenceBenchmarks.BATCH, System.err);
                int8 = dir.resolve("bench.q8");
                floats = dir.resolve("bench-float.zip");
                Q8ModelFile.write(random.int8Model(), int8);
                FloatModelFile.write(random.floatModel(), floats, null);
            } else {
                BenchModel.load(model, floatModel, seed, 1);
            }
            List<Row> rows = run(int8, floats);
            RuntimeBenchmark.Result runtime = runtime(int8, floats, dir);
            if (runtime != null) {
                rows.add(new Row("runtime_e2e", "runtime end to end: replayed frames -> mosquitto QoS 1 (-Xmx32m)",
                        runtime.usPerFrame(), Double.NaN));
            }
            print(rows, int8, runtime);
        } finally {
            TempDirs.deleteQuietly(dir);
        }
        return 0;
    }

    /** The runtime as a process against mosquitto, unless --only excludes it or mosquitto is missing. */
    private RuntimeBenchmark.Result runtime(Path int8, Path floats, Path dir) {
        if (only != null && !"runtime_e2e".matches(only)) {
            return null;
        }
        if (!RuntimeBenchmark.available()) {
            System.err.println("edgeml bench: " + RuntimeBenchmark.MOSQUITTO + " is missing: skipping the end-to-end"
                    + " runtime row (apt-get install mosquitto)");
            return null;
        }
        int frames = quick ? 2_000 : 20_000;
        LabeledImages images = BenchModel.blobImages(FloatModelFile.read(floats), frames, seed + 1);
        try {
            return RuntimeBenchmark.run(int8, images, dir, System.err);
        } catch (IOException e) {
            throw new EdgemlException("the runtime benchmark failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private List<Row> run(Path int8, Path floats) {
        boolean anyMatches = only == null || java.util.Arrays.stream(InferenceBenchmarks.class.getMethods())
                .filter(m -> m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class))
                .anyMatch(m -> m.getName().matches(only));
        if (!anyMatches) {
            return new ArrayList<>();
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(InferenceBenchmarks.class.getName() + "\\.(" + (only == null ? ".*" : only) + ")$")
                .threads(1)
                .shouldFailOnError(true);
        String[] properties = {
            "-D" + InferenceBenchmarks.INT8_FILE + "=" + int8.toAbsolutePath(),
            "-D" + InferenceBenchmarks.FLOAT_FILE + "=" + floats.toAbsolutePath(),
            "-D" + InferenceBenchmarks.SEED + "=" + seed,
        };
        if (quick) {
            System.setProperty(InferenceBenchmarks.INT8_FILE, int8.toAbsolutePath().toString());
            System.setProperty(InferenceBenchmarks.FLOAT_FILE, floats.toAbsolutePath().toString());
            System.setProperty(InferenceBenchmarks.SEED, Long.toString(seed));
            options.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(200));
        } else {
            // Sized for a 2-core machine: one fork per benchmark, short iterations. The forks run with
            // the JVM options of ./edgeml (the device's service has a smaller heap and exits on OutOfMemoryError).
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djava.awt.headless=true"));
            jvm.addAll(DenseKernels.JVM_OPTIONS);
            jvm.addAll(List.of(properties));
            options.forks(1).jvmArgs(jvm.toArray(String[]::new))
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        PrintStream stdout = System.out;
        Collection<RunResult> results;
        System.setOut(System.err);
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new EdgemlException("the benchmark run failed: " + e.getMessage(), e);
        } finally {
            System.setOut(stdout);
        }
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            var statistics = r.getPrimaryResult().getStatistics();
            double spread = (statistics.getPercentile(75) - statistics.getPercentile(25)) / 2;
            rows.add(new Row(Benchmarks.name(method), Benchmarks.description(method), statistics.getPercentile(50), spread));
        }
        rows.sort(java.util.Comparator.comparingInt(row -> Benchmarks.order(row.name())));
        return rows;
    }

    private void print(List<Row> rows, Path int8, RuntimeBenchmark.Result runtime) {
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model == null ? "random 784-128-10 (seed " + seed + ")" : model.toString());
            o.put("model_id", Q8ModelFile.read(int8).id());
            o.put("batch", InferenceBenchmarks.BATCH);
            o.put("quick", quick);
            List<Object> results = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("us_per_image", r.usPerImage());
                m.put("images_per_s", r.imagesPerSecond());
                m.put("error", Double.isNaN(r.error()) ? null : r.error());
                results.add(m);
            }
            o.put("results", results);
            if (runtime != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("frames", runtime.frames());
                r.put("frames_per_s", runtime.framesPerSecond());
                r.put("startup_ms_to_first_prediction", runtime.startupMillis());
                r.put("peak_rss_mb", runtime.peakRssMb());
                r.put("heap", "-Xmx32m");
                r.put("exit_code", runtime.exitCode());
                o.put("runtime", r);
            }
            System.out.println(Json.write(o));
            return;
        }
        TextTable table = new TextTable("name", "what", "us/image", "+-", "images/s");
        for (Row r : rows) {
            table.row(r.name(), r.description(), String.format(Locale.ROOT, "%.3f", r.usPerImage()),
                    Double.isNaN(r.error()) ? "-" : String.format(Locale.ROOT, "%.3f", r.error()),
                    String.format(Locale.ROOT, "%,.0f", r.imagesPerSecond()));
        }
        System.out.print(table);
        System.out.println("(one thread each; median of the sampled calls, +- half the interquartile range;"
                + " batch rows are per image at batch " + InferenceBenchmarks.BATCH + ")");
        if (runtime != null) {
            System.out.printf(Locale.ROOT, "runtime (-Xmx32m, QoS 1, mosquitto): %,d frames at %,.0f frames/s; first"
                    + " prediction %.0f ms after the JVM started; peak RSS %.1f MB; exit code %d%n", runtime.frames(),
                    runtime.framesPerSecond(), runtime.startupMillis(), runtime.peakRssMb(), runtime.exitCode());
        }
    }
}
