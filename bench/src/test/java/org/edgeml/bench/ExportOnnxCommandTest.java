package org.edgeml.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportOnnxCommandTest {
    @TempDir
    Path dir;

    private String refusal(String... args) {
        ExportOnnxCommand command = new ExportOnnxCommand();
        new CommandLine(command).parseArgs(args);
        EdgemlException e = assertThrows(EdgemlException.class, command::call);
        assertEquals(2, e.exitCode());
        return e.getMessage();
    }

    @Test
    void neverWritesOverItsModelNorIntoADirectory() throws Exception {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(5, 4, Activation.RELU, 6, 3), model);
        byte[] before = Files.readAllBytes(model);
        assertTrue(refusal(model.toString(), "--out", model.toString()).contains("is the input"));
        assertArrayEquals(before, Files.readAllBytes(model));
        assertTrue(refusal(dir.resolve("missing.q8").toString(), "--out", dir.toString()).contains("is a directory"));
    }

    /**
     * A CNN quantized by edgeml's quantizer, exported by the command: ORT loads the file and gives the
     * engine's class for each golden input (full-range weights: on AVX2 without VNNI ORT's u8 x s8 sums
     * can saturate, see OnnxExportTest, so codes may differ by more than rounding; the classes agree here).
     */
    @Test
    void exportsAQuantizedCnnThatOnnxRuntimeRuns() throws Exception {
        Path model = dir.resolve("cnn.q8");
        Path out = dir.resolve("cnn.onnx");
        org.edgeml.core.model.Q8Model q8 = BenchModel.randomCnn(3, System.err).int8Model();
        Q8ModelFile.write(q8, model);
        assertEquals(0, new CommandLine(new ExportOnnxCommand()).execute(model.toString(), "--out", out.toString()));
        org.edgeml.core.engine.Int8Engine engine = new org.edgeml.core.engine.Int8Engine(q8);
        int width = q8.inputSize();
        int classes = q8.classes();
        var goldens = q8.goldens();
        try (OrtRunner ort = new OrtRunner(Files.readAllBytes(out), org.edgeml.bench.onnx.QdqOnnxExport.INPUT,
                ai.onnxruntime.OnnxJavaType.UINT8, width, org.edgeml.bench.onnx.QdqOnnxExport.OUTPUT,
                ai.onnxruntime.OnnxJavaType.UINT8, classes, goldens.size(), null)) {
            for (int g = 0; g < goldens.size(); g++) {
                for (int k = 0; k < width; k++) {
                    ort.input().put(g * width + k, (byte) (goldens.get(g).input()[k] + 128));
                }
            }
            ort.run();
            for (int g = 0; g < goldens.size(); g++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if ((ort.output().get(g * classes + c) & 0xFF) > (ort.output().get(g * classes + best) & 0xFF)) {
                        best = c;
                    }
                }
                assertEquals(engine.classify(goldens.get(g).input()), best, "golden " + g);
            }
        }
    }
}
