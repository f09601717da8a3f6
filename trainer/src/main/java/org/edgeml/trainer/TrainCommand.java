package org.edgeml.trainer;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.floatmodel.InputSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgeml train}: parses the flags into a {@link TrainingRecipe}, trains, writes the model and the report. */
@Command(name = "train", header = "Train an image classifier (dense or CNN) with DL4J.", mixinStandardHelpOptions = true,
        description = {"Train a dense or convolutional image classifier with DL4J and write it as a float model file.",
                "Progress goes to stderr; with --json, stdout holds one JSON object."},
        sortOptions = false)
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = DatasetSpec.FASHION_MNIST,
            completionCandidates = DatasetSpec.Names.class,
            description = "${COMPLETION-CANDIDATES} (idx and folder with --data; default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "directory holding the dataset (required for idx and folder)")
    Path data;

    @Option(names = "--input", paramLabel = "HxWxC", converter = InputShape.class,
            description = "the model's input: height x width x channels (1 grey, 3 colour RGB), e.g. 32x32x3; folder "
                    + "images are resized to it as the device does (default: 28x28x1, or an IDX dataset's own size)")
    Shape input;

    @Option(names = "--arch", paramLabel = "NAME", defaultValue = "dense", completionCandidates = Architecture.Names.class,
            description = "${COMPLETION-CANDIDATES}: dense layers from --hidden, or the preset CNN "
                    + "(conv3x3:32,bn,maxpool2,conv3x3:64,bn,maxpool2,dense:128,dropout:0.3) (default: ${DEFAULT-VALUE})")
    Architecture arch;

    @Option(names = "--layers", paramLabel = "SPEC",
            description = "the hidden layers as a spec (docs/training.md), e.g. conv3x3:32,maxpool2,conv3x3:64,maxpool2,dense:128,dropout:0.3; "
                    + "kinds: " + LayerSpecParser.KINDS)
    String layers;

    @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",", defaultValue = "128",
            description = "hidden layer sizes, e.g. 256,128 (default: ${DEFAULT-VALUE})")
    List<Integer> hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", converter = HiddenActivation.class,
            completionCandidates = HiddenActivation.class,
            description = "the hidden layers' activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Activation activation;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
            description = "probability of dropping a hidden unit while training (default: ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--l2", paramLabel = "L", defaultValue = "0", description = "L2 weight penalty (default: ${DEFAULT-VALUE})")
    double l2;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", completionCandidates = Optimizer.Names.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Optimizer optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "learning rate (default: 0.002 for adam, 0.05 for sgd, 0.01 for nesterovs)")
    Double learningRate;

    @Option(names = "--lr-decay", paramLabel = "FRACTION", defaultValue = "" + TrainingRecipe.DEFAULT_LR_DECAY,
            description = "the learning rate falls exponentially to FRACTION of --lr by the last batch; 1 keeps it constant (default: ${DEFAULT-VALUE})")
    double lrDecay;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + TrainingRecipe.DEFAULT_EPOCHS,
            description = "passes over the training images (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + TrainingRecipe.DEFAULT_BATCH,
            description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + TrainingRecipe.DEFAULT_SEED,
            description = "seed for weights, splits, shuffling and dropout; the same seed gives the same model (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "" + TrainingRecipe.DEFAULT_VALIDATION,
            description = "share of the training images held out for validation (default: ${DEFAULT-VALUE})")
    double validation;

    @Option(names = "--augment", description = "change each training image a little every epoch (shift, zoom, rotation, "
            + "brightness, contrast; docs/training.md) so a small set, such as frames captured on the device, generalises")
    boolean augment;

    @Option(names = "--augment-flip", description = "with --augment, also mirror images left to right half of the time "
            + "(only for classes that look the same mirrored)")
    boolean augmentFlip;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "model.zip",
            description = "the model file to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--report", paramLabel = "DIR", description = "write an HTML training report with charts into DIR")
    Path report;

    @Option(names = "--json", description = "print one JSON object with the results on stdout")
    boolean json;

    @Override
    public Integer call() {
        TrainingRecipe recipe = recipe();
        PrintStream progress = System.err;
        TrainJob.Result job = TrainJob.run(recipe, new DatasetSpec(dataset, data, seed), input, out, report, progress);
        TrainingResult result = job.training();
        Map<String, Object> metrics = job.metrics();

        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(Json.write(metrics));
        } else {
            stdout.printf(Locale.ROOT, "test accuracy %.4f; model written to %s%n", result.test().accuracy(), out);
            if (report != null) {
                stdout.println("report: " + report.resolve("index.html"));
            }
        }
        stdout.flush();
        return 0;
    }

    TrainingRecipe recipe() {
        if (augmentFlip && !augment) {
            throw new EdgemlException("--augment-flip changes augmented images: add --augment");
        }
        Augmentation augmentation = !augment ? Augmentation.NONE
                : augmentFlip ? Augmentation.DEFAULT.withFlip() : Augmentation.DEFAULT;
        TrainingRecipe recipe = new TrainingRecipe(hidden, activation, dropout, l2, optimizer,
                learningRate != null ? learningRate : optimizer.defaultLearningRate, epochs, batch, seed, validation, lrDecay,
                augmentation);
        String spec = layerSpec();
        return spec == null ? recipe : recipe.withLayers(LayerSpecParser.parse(spec, activation));
    }

    /** The --layers spec, the preset of --arch cnn, or null for dense layers from --hidden. */
    private String layerSpec() {
        boolean archGiven = given("--arch");
        if (layers != null && archGiven) {
            throw new EdgemlException("--arch and --layers both choose the layers: give one of them");
        }
        if ((layers != null || arch == Architecture.CNN) && given("--hidden")) {
            throw new EdgemlException("--hidden sets dense layers for --arch dense: with " + (layers != null ? "--layers" : "--arch cnn")
                    + " put dense:<units> into the layer spec");
        }
        return layers != null ? layers : arch == Architecture.CNN ? arch.preset : null;
    }

    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** {@code --input HxWxC}: sides 1..4096, 1 (grey) or 3 (colour) channels. */
    static final class InputShape implements ITypeConverter<Shape> {
        private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("(\\d{1,4})x(\\d{1,4})x(\\d)");

        @Override
        public Shape convert(String value) {
            java.util.regex.Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                int h = Integer.parseInt(m.group(1));
                int w = Integer.parseInt(m.group(2));
                int c = Integer.parseInt(m.group(3));
                if (h >= 1 && w >= 1 && h <= InputSpec.MAX_SIDE && w <= InputSpec.MAX_SIDE && (c == 1 || c == 3)) {
                    return new Shape(h, w, c);
                }
            }
            throw new TypeConversionException("'" + value + "' is not an input shape: give HxWxC with sides 1.."
                    + InputSpec.MAX_SIDE + " and C 1 (grey) or 3 (colour), e.g. 28x28x1 or 32x32x3");
        }
    }

    /** The activations a hidden layer takes (identity is for output layers), parsed as model files name them. */
    static final class HiddenActivation implements ITypeConverter<Activation>, Iterable<String> {
        private static final List<String> NAMES = List.of("relu", "leakyrelu", "tanh", "sigmoid", "elu", "gelu");

        @Override
        public Activation convert(String value) {
            Activation a;
            try {
                a = Activation.parse(value);
            } catch (IllegalArgumentException e) {
                a = Activation.IDENTITY;
            }
            if (!NAMES.contains(a.cliName())) {
                throw new TypeConversionException("unknown activation '" + value + "': use " + String.join(", ", NAMES));
            }
            return a;
        }

        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
