package org.edgeml.quantizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.io.Sha256;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.Dataset;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.data.Datasets;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.io.OutputPaths;
import org.edgeml.host.security.ModelSigner;
import org.edgeml.quantizer.calibration.Calibration;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.calibration.Calibrator;
import org.edgeml.quantizer.check.Evaluation;
import org.edgeml.quantizer.check.Evaluator;

/**
 * The whole of {@code edgeml quantize}: read the float model, calibrate on training images, quantize,
 * add golden vectors, measure float and int8 accuracy on the test set, and write the int8 model file.
 */
public final class QuantizeJob {

    /**
     * What to quantize and how. {@code dataset} null means the dataset the float model was trained on (a given
     * one is used with the model's training seed);
     * {@code signingKey} (the private key file of 'edgeml keygen', with KEY.pub beside it) null means unsigned.
     */
    public record Request(Path floatModel, Path out, int calibrationImages, CalibrationMethod method,
                          DatasetSpec dataset, Path signingKey) {
        public Request(Path floatModel, Path out, int calibrationImages, CalibrationMethod method, DatasetSpec dataset) {
            this(floatModel, out, calibrationImages, method, dataset, null);
        }

        public Request {
            Objects.requireNonNull(floatModel, "floatModel");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(method, "method");
            if (calibrationImages < 1 || calibrationImages > 1_000_000) {
                throw new EdgemlException("--calibration must be between 1 and 1000000 images, got " + calibrationImages);
            }
        }
    }

    /** The written model, the calibration behind it and the test-set evaluation measured before writing. */
    public record Result(LoadedModel model, Path file, long fileBytes, long floatWeightBytes, Calibration calibration,
                         Evaluation evaluation, Dataset dataset) {}

    private QuantizeJob() {}

    public static Result run(Request request, PrintStream log) {
        OutputPaths.requireWritableFile(request.out(), "--out", request.floatModel());
        // Read the key first: a wrong key path should not cost a quantization run.
        ModelSigner signer = request.signingKey() == null ? null : ModelSigner.fromKeyFile(request.signingKey(), "--sign");
        FloatModel floatModel = FloatModelFile.read(request.floatModel());
        Dataset dataset = Datasets.loadFor(request.dataset() != null ? request.dataset().withSeed(seed(floatModel))
                : trainingDataset(floatModel), floatModel.input().shape(), request.floatModel().toString(), log);
        FloatNetwork network = new FloatNetwork(floatModel);
        Calibration calibration = new Calibrator(network, request.method())
                .calibrate(dataset.train(), request.calibrationImages(), seed(floatModel), log);

        ModelInfo draftInfo = info(request, floatModel, dataset, calibration, Double.NaN, Double.NaN);
        Q8Model model = PostTrainingQuantizer.quantize(floatModel, calibration, draftInfo);
        model = PostTrainingQuantizer.withGoldens(model, dataset.test());
        Evaluation evaluation = Evaluator.evaluate(new Int8Engine(model), network, dataset.test(), dataset.labels(), log);
        model = model.withInfo(info(request, floatModel, dataset, calibration,
                evaluation.floatAccuracy(), evaluation.int8Accuracy()));
        byte[] file = Q8ModelFile.encode(model);
        if (signer != null) {
            file = signer.sign(file, request.out().getFileName().toString());
        }
        Q8ModelFile.writeBytes(file, request.out());
        LoadedModel written = Q8ModelFile.read(request.out());
        new Int8Engine(written.model()).requireGoldens(request.out().toString());
        long bytes = request.out().toFile().length();
        return new Result(written, request.out(), bytes, floatModel.floatWeightBytes(), calibration, evaluation, dataset);
    }

    /** The dataset the float model was trained on, as its metadata records it. */
    public static DatasetSpec trainingDataset(FloatModel model) {
        String name = Objects.toString(model.metadata().get("dataset"), DatasetSpec.FASHION_MNIST);
        Object source = model.metadata().get("source");
        return DatasetSpec.recorded(name, source == null ? null : source.toString(), seed(model));
    }

    static long seed(FloatModel model) {
        Object seed = model.metadata().get("seed");
        return seed instanceof Number n ? n.longValue() : 42L;
    }

    private static ModelInfo info(Request request, FloatModel floatModel, Dataset dataset, Calibration calibration,
                                  double floatAccuracy, double int8Accuracy) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("calibration_method", calibration.method().cliName());
        properties.put("calibration_images", Integer.toString(calibration.images()));
        properties.put("dataset_source", dataset.source());
        properties.put("seed", Long.toString(seed(floatModel)));
        properties.put("float_model", request.floatModel().toAbsolutePath().normalize().toString());
        try {
            properties.put("float_model_sha256", Sha256.hex(request.floatModel()));
        } catch (IOException e) {
            throw new EdgemlException("cannot read " + request.floatModel() + " (" + e.getMessage() + ")", e);
        }
        properties.put("float_weight_bytes", Long.toString(floatModel.floatWeightBytes()));
        Object architecture = floatModel.metadata().get("architecture");
        if (architecture != null) {
            properties.put("architecture", architecture.toString());
        }
        String version = QuantizeJob.class.getPackage().getImplementationVersion();
        properties.put("edgeml_version", version == null ? "dev" : version);
        String name = request.out().getFileName().toString().replaceFirst("\\.q8$", "");
        return new ModelInfo(name, dataset.name(), floatModel.labels(), floatAccuracy, int8Accuracy,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), properties);
    }
}
