package org.edgeml.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.edgeml.cli.demo.BrokerForDemo;
import org.edgeml.cli.demo.DemoBroker;
import org.edgeml.core.EdgemlException;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.quantizer.QuantizeJob;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.check.CheckJob;
import org.edgeml.quantizer.cli.CheckReport;
import org.edgeml.trainer.TrainJob;
import org.edgeml.trainer.TrainingRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgeml demo}: the main job end to end on one machine, with every artefact left in one
 * directory to look at: train a short run, quantize, and check the int8 model against the float one.
 */
@Command(name = "demo", header = "The whole toolchain end to end on one machine: train, quantize, check, run, watch.", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the whole toolchain on Fashion-MNIST: train a small network (a short run), quantize it "
            + "to int8, check it with the device's integer engine, then run the device runtime on replayed test "
            + "images, publishing to a local broker (mosquitto, or an embedded one), and watch the predictions arrive. "
            + "Everything lands in --dir.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "edgeml-demo",
            description = "Where the models and reports go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
            description = "Training epochs; 10 gives the best model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = DatasetSpec.FASHION_MNIST,
            description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--max-drop", paramLabel = "PP", defaultValue = "1.0",
            description = "Fail when int8 accuracy is more than PP points below float (default: ${DEFAULT-VALUE}).")
    double maxDrop;

    @Option(names = "--replay", paramLabel = "N", defaultValue = "500",
            description = "Test images the device runtime replays and publishes (default: ${DEFAULT-VALUE}).")
    int replay;

    @Option(names = "--fps", paramLabel = "MAX", defaultValue = "100",
            description = "Frames per second of the replay, so you can watch it (default: ${DEFAULT-VALUE}; 0: no limit).")
    double fps;

    @Option(names = "--broker", paramLabel = "URL",
            description = "Use this MQTT broker instead of starting mosquitto (or the embedded broker).")
    String broker;

    private final Optional<Path> mosquitto;

    public DemoCommand() {
        this(BrokerForDemo.findMosquitto());
    }

    /** A demo that uses this mosquitto binary (empty: as on a machine without mosquitto). */
    DemoCommand(Optional<Path> mosquitto) {
        this.mosquitto = mosquitto;
    }

    /** The broker the demo started, stopped (and its temp folder deleted) on Ctrl-C too. */
    private final AtomicReference<DemoBroker> started = new AtomicReference<>();

    @Override
    public Integer call() throws InterruptedException {
        try (OnInterrupt interrupt = OnInterrupt.install("demo", this::stopBroker, System.err)) {
            try {
                return demo();
            } catch (RuntimeException e) {
                if (interrupt.fired()) {
                    return OnInterrupt.EXIT_INTERRUPTED; // the replay lost its broker to Ctrl-C's cleanup: not an error
                }
                throw e;
            }
        }
    }

    private void stopBroker() {
        DemoBroker b = started.getAndSet(null);
        if (b != null) {
            b.close();
        }
    }

    private int demo() throws InterruptedException {
        if (replay < 1 || replay > 10_000 || fps < 0 || epochs < 1) {
            throw new EdgemlException("--replay must be 1..10000, --fps at least 0 and --epochs at least 1");
        }
        PrintStream out = System.out;
        PrintStream log = System.err;
        Path floatModel = dir.resolve("fashion.zip");
        Path q8 = dir.resolve("fashion.q8");
        DatasetSpec data = new DatasetSpec(dataset, null, TrainingRecipe.DEFAULT_SEED);
        if (DatasetSpec.IDX.equals(data.name()) || DatasetSpec.FOLDER.equals(data.name())) {
            throw new EdgemlException("the demo runs on fashion-mnist or mnist; for your own data use 'edgeml train'");
        }

        step(out, 1, "train a 784-128-10 network for " + epochs + (epochs == 1 ? " epoch" : " epochs") + " (DL4J)");
        TrainingRecipe recipe = TrainingRecipe.defaults().withEpochs(epochs);
        TrainJob.Result trained = TrainJob.run(recipe, data, floatModel, dir.resolve("train-report"), log);
        out.printf(Locale.ROOT, "   float model %s: test accuracy %.2f%%%n", floatModel,
                100 * trained.training().test().accuracy());

        step(out, 2, "quantize to int8 (calibrated on 500 training images)");
        QuantizeJob.Result quantized = QuantizeJob.run(new QuantizeJob.Request(floatModel, q8, 500,
                CalibrationMethod.MINMAX, data), log);
        out.printf(Locale.ROOT, "   int8 model %s: id %s, %,d bytes (%.0f%% of the float weights)%n", q8,
                quantized.model().id(), quantized.fileBytes(), 100.0 * quantized.fileBytes() / quantized.floatWeightBytes());

        step(out, 3, "check the int8 model with the device's integer engine on the 10,000 test images");
        CheckJob.Result checked = CheckJob.run(new CheckJob.Request(q8, floatModel, data, Double.NaN, maxDrop), log);
        CheckReport.write(checked, dir.resolve("check-report"), log);
        out.printf(Locale.ROOT, "   float %.2f%%  int8 %.2f%%  drop %+.2f pp  agreement %.2f%%  %,.0f images/s warmed up"
                        + " (the engine's second pass in this JVM)%n",
                100 * checked.floatAccuracy(), 100 * checked.int8Accuracy(), checked.dropPp(),
                100 * checked.evaluation().agreement(), checked.evaluation().int8ImagesPerSecond());

        step(out, 4, "run the device runtime on " + replay + " replayed test images and watch its MQTT messages");
        boolean allArrived;
        DemoBroker mqtt = BrokerForDemo.open(broker, mosquitto, log);
        started.set(mqtt);
        try {
            out.println("   broker: " + mqtt.description());
            out.flush();
            allArrived = new DemoReplay(mqtt.url(), q8, Path.of(checked.dataset().source()), replay, fps)
                    .run(out, expectedAccuracy(checked, replay));
        } finally {
            stopBroker();
        }

        out.println();
        boolean passed = checked.passed() && allArrived;
        out.println(passed ? "Demo finished." : !allArrived ? "Demo finished, but not every prediction arrived."
                : String.format(Locale.ROOT, "Demo finished, but int8 lost more than %.2f points of accuracy.", maxDrop));
        for (String line : List.of(
                "  training report:  " + dir.resolve("train-report/index.html"),
                "  check report:     " + dir.resolve("check-report/index.html"),
                "  next: ./edgeml export-c " + q8 + " --out " + dir.resolve("c-model"))) {
            out.println(line);
        }
        return passed ? 0 : EdgemlException.EXIT_GATE_FAILED;
    }

    /** The int8 accuracy the check measured on the first {@code n} test images: what the device should show. */
    private static double expectedAccuracy(CheckJob.Result checked, int n) {
        int[] truth = checked.evaluation().truth();
        int[] predicted = checked.evaluation().int8Predictions();
        int count = Math.min(n, truth.length);
        int right = 0;
        for (int i = 0; i < count; i++) {
            right += truth[i] == predicted[i] ? 1 : 0;
        }
        return (double) right / count;
    }

    private static void step(PrintStream out, int n, String what) {
        out.printf(Locale.ROOT, "[%d/4] %s%n", n, what);
        out.flush();
    }
}
