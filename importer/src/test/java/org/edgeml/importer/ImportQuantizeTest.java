package org.edgeml.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgeml.core.json.Json;
import org.edgeml.quantizer.QuantizeJob;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.check.Evaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small CNN trained on Fashion-MNIST by PyTorch (make_fixtures.py) is imported, then quantized and
 * checked on the 10,000 test images as 'edgeml quantize' does: its float accuracy is PyTorch's own
 * measurement (within 0.1 pp) and int8 stays within 0.3 pp of it.
 */
class ImportQuantizeTest {
    @TempDir
    Path dir;

    @Test
    void importedFashionCnnKeepsPyTorchsAccuracyInFloatAndInt8() throws Exception {
        Map<String, Object> fixture = Json.parseObject(Files.readString(OnnxFixturesTest.fixture("fashion_cnn.json")));
        double pytorch = ((Number) fixture.get("pytorch_test_accuracy")).doubleValue();
        OnnxFixturesTest.importFixture("fashion_cnn.onnx", List.of("--labels", "fashion-mnist"), dir);
        Path floatModel = dir.resolve("fashion_cnn.onnx.zip");
        QuantizeJob.Result result = QuantizeJob.run(new QuantizeJob.Request(floatModel, dir.resolve("fashion_cnn.q8"), 500,
                CalibrationMethod.MINMAX, null), new PrintStream(new ByteArrayOutputStream()));
        Evaluation e = result.evaluation();
        assertEquals("fashion-mnist", result.dataset().name());
        assertEquals(10_000, e.images());
        assertTrue(Math.abs(e.floatAccuracy() - pytorch) <= 0.001, "float " + e.floatAccuracy() + " vs PyTorch " + pytorch);
        assertTrue(Math.abs(e.int8Accuracy() - pytorch) <= 0.003, "int8 " + e.int8Accuracy() + " vs PyTorch " + pytorch);
    }
}
