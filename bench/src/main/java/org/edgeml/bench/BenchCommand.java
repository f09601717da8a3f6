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
import org.edgeml.core.model.Q8Model;
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
            + InferenceBenchmarks.BATCH + " (JMH underneath); then the rows named cnn_: a CNN at batch 1 on the int8 engine, "
            + "its scalar reference, ONNX Runtime int8 and float, and DL4J. "
            + "Default models: a random 784-128-10 ReLU network and a random CNN of issue 12's preset ("
            + RandomCnn.PRESET + "), each quantized with edgeml's quantizer. With --model a CNN, only the cnn_ rows run.")
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
            Models m = models(dir);
            List<Row> rows = run(m);
            RuntimeBenchmark.Result runtime = m.int8 == null ? null : runtime("runtime_e2e", m.int8, dir);
            if (runtime != null) {
                rows.add(new Row("runtime_e2e", "runtime end to end: replayed frames -> mosquitto QoS 1 (-Xmx32m)",
                        runtime.usPerFrame(), Double.NaN));
            }
            RuntimeBenchmark.Result cnnRuntime = m.cnnInt8 == null ? null : runtime("cnn_runtime_e2e", m.cnnInt8, dir);
            if (cnnRuntime != null) {
                rows.add(new Row("cnn_runtime_e2e", "CNN: runtime end to end: replayed frames -> mosquitto QoS 1 (-Xmx32m)",
                        cnnRuntime.usPerFrame(), Double.NaN));
            }
            print(rows, m, runtime, cnnRuntime);
        } finally {
            TempDirs.deleteQuietly(dir);
        }
        return 0;
    }

    /** The model files of the dense rows and of the cnn_ rows; null where those rows do not run. */
    private record Models(Path int8, Path floats, Path cnnInt8, Path cnnFloats) {}

    private Models models(Path dir) {
        if (model != null) {
            Q8Model q8 = Q8ModelFile.read(model).model();
            if (q8.features().isEmpty()) {
                BenchModel.load(model, floatModel, seed, 1);
                return new Models(model, floatModel, null, null);
            }
            BenchModel.requirePair(q8, FloatModelFile.read(floatModel), model, floatModel);
            return new Models(null, null, model, floatModel);
        }
        BenchModel random = BenchModel.random(seed, InferenceBenchmarks.BATCH, System.err);
        Path int8 = dir.resolve("bench.q8");
        Path floats = dir.resolve("bench-float.zip");
        Q8ModelFile.write(random.int8Model(), int8);
        FloatModelFile.write(random.floatModel(), floats, null);
        Path cnnInt8 = dir.resolve("bench-cnn.q8");
        Path cnnFloats = dir.resolve("bench-cnn-float.zip");
        BenchModel cnn = BenchModel.randomCnn(seed, System.err);
        Q8ModelFile.write(cnn.int8Model(), cnnInt8);
        FloatModelFile.write(cnn.floatModel(), cnnFloats, null);
        return new Models(int8, floats, cnnInt8, cnnFloats);
    }

    /** The runtime as a process against mosquitto, unless --only excludes it or mosquitto is missing. */
    private RuntimeBenchmark.Result runtime(String row, Path int8, Path dir) {
        if (only != null && !row.matches(only)) {
            return null;
        }
        if (!RuntimeBenchmark.available()) {
            System.err.println("edgeml bench: " + RuntimeBenchmark.MOSQUITTO + " is missing: skipping the end-to-end"
                    + " runtime row (apt-get install mosquitto)");
            return null;
        }
        // The idx source holds its file in memory: 20,000 frames (15.7 MB) and a CNN's buffers exceed -Xmx32m.
        boolean cnn = !Q8ModelFile.read(int8).model().features().isEmpty();
        int frames = cnn ? (quick ? 500 : 5_000) : quick ? 2_000 : 20_000;
        LabeledImages images = RuntimeBenchmark.frames(Q8ModelFile.read(int8).model(), frames, seed + 1);
        try {
            return RuntimeBenchmark.run(int8, images, Files.createDirectories(dir.resolve(row)), System.err);
        } catch (IOException e) {
            throw new EdgemlException("the runtime benchmark failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private List<Row> run(Models m) {
        List<Class<?>> classes = new ArrayList<>();
        Map<String, Path> files = new LinkedHashMap<>();
        if (m.int8 != null && matchesAny(InferenceBenchmarks.class)) {
            classes.add(InferenceBenchmarks.class);
            files.put(InferenceBenchmarks.INT8_FILE, m.int8);
            files.put(InferenceBenchmarks.FLOAT_FILE, m.floats);
        }
        if (m.cnnInt8 != null && matchesAny(CnnBenchmarks.class)) {
            classes.add(CnnBenchmarks.class);
            files.put(CnnBenchmarks.INT8_FILE, m.cnnInt8);
            files.put(CnnBenchmarks.FLOAT_FILE, m.cnnFloats);
        }
        if (classes.isEmpty()) {
            return new ArrayList<>();
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .threads(1)
                .shouldFailOnError(true);
        for (Class<?> c : classes) {
            options.include(c.getName() + "\\.(" + (only == null ? ".*" : only) + ")$");
        }
        if (m.cnnFloats != null && !Dl4jNetwork.supports(FloatModelFile.read(m.cnnFloats))) {
            System.err.println("edgeml bench: the DL4J peer does not rebuild this CNN (a flatten before the last feature layer,"
                    + " or maxout after feature layers): skipping the row cnn_dl4j_float_b1");
            options.exclude(CnnBenchmarks.class.getName() + "\\.cnnDl4j$");
        }
        List<String> properties = new ArrayList<>();
        files.forEach((key, file) -> properties.add("-D" + key + "=" + file.toAbsolutePath()));
        properties.add("-D" + InferenceBenchmarks.SEED + "=" + seed);
        if (quick) {
            files.forEach((key, file) -> System.setProperty(key, file.toAbsolutePath().toString()));
            System.setProperty(InferenceBenchmarks.SEED, Long.toString(seed));
            options.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(200));
        } else {
            // Sized for a 2-core machine: one fork per benchmark, short iterations. The forks run with
            // the JVM options of ./edgeml (the device's service has a smaller heap and exits on OutOfMemoryError).
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djava.awt.headless=true"));
            jvm.addAll(DenseKernels.JVM_OPTIONS);
            jvm.addAll(properties);
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

    private boolean matchesAny(Class<?> benchmarks) {
        return only == null || java.util.Arrays.stream(benchmarks.getMethods())
                .filter(method -> method.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class))
                .anyMatch(method -> method.getName().matches(only));
    }

    private void print(List<Row> rows, Models models, RuntimeBenchmark.Result runtime, RuntimeBenchmark.Result cnnRuntime) {
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            if (models.int8 != null) {
                o.put("model", model == null ? "random 784-128-10 (seed " + seed + ")" : model.toString());
                o.put("model_id", Q8ModelFile.read(models.int8).id());
            }
            if (models.cnnInt8 != null) {
                o.put("cnn_model", model == null ? "random preset CNN (seed " + seed + ")" : model.toString());
                o.put("cnn_model_id", Q8ModelFile.read(models.cnnInt8).id());
            }
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
                o.put("runtime", runtimeJson(runtime));
            }
            if (cnnRuntime != null) {
                o.put("cnn_runtime", runtimeJson(cnnRuntime));
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
        printRuntime("runtime", runtime);
        printRuntime("CNN runtime", cnnRuntime);
        Row fast = find(rows, "cnn_int8_vector_b1");
        Row scalar = find(rows, "cnn_int8_scalar_b1");
        Row ort = find(rows, "cnn_ort_int8_b1");
        if (ort != null && (fast != null || scalar != null)) {
            System.out.printf(Locale.ROOT, "CNN against ONNX Runtime int8 at batch 1:%s%s%n",
                    fast == null ? "" : String.format(Locale.ROOT, " int8 engine %.2fx its time", fast.usPerImage() / ort.usPerImage()),
                    scalar == null ? "" : String.format(Locale.ROOT, "%s scalar reference %.1fx", fast == null ? "" : ";",
                            scalar.usPerImage() / ort.usPerImage()));
        }
    }

    private static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static void printRuntime(String what, RuntimeBenchmark.Result r) {
        if (r != null) {
            System.out.printf(Locale.ROOT, "%s (-Xmx32m, QoS 1, mosquitto): %,d frames at %,.0f frames/s; first"
                    + " prediction %.0f ms after the JVM started; peak RSS %.1f MB; exit code %d%n", what, r.frames(),
                    r.framesPerSecond(), r.startupMillis(), r.peakRssMb(), r.exitCode());
        }
    }

    private static Map<String, Object> runtimeJson(RuntimeBenchmark.Result runtime) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("frames", runtime.frames());
        r.put("frames_per_s", runtime.framesPerSecond());
        r.put("startup_ms_to_first_prediction", runtime.startupMillis());
        r.put("peak_rss_mb", runtime.peakRssMb());
        r.put("heap", "-Xmx32m");
        r.put("exit_code", runtime.exitCode());
        return r;
    }
}
