package org.edgeml.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras .h5 files read through DL4J's Keras importer give the outputs of the PyTorch model whose weights
 * they hold (src/test/fixtures/make_fixtures.py: h5py writes Keras's HDF5 layout, as no Keras runs here).
 */
class KerasFixturesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"keras_mlp", "keras_cnn"})
    void importedModelGivesTheReferenceOutputs(String name) throws Exception {
        OnnxFixturesTest.assertSameOutputs(name, ".h5", dir);
    }

    @Test
    void aKeras3ZipIsRefusedWithTheWayOut() throws Exception {
        Path file = dir.resolve("model.keras");
        Files.write(file, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        Path out = dir.resolve("model.zip");
        EdgemlException e = assertThrows(EdgemlException.class, () -> ImportJob.run(
                new ImportJob.Request(file, out, ImportOptions.defaults()), new PrintStream(new ByteArrayOutputStream())));
        assertEquals(2, e.exitCode());
        assertEquals(file + " is not a Keras HDF5 model with a model_config (a Keras 3 .keras file is a zip archive, which"
                + " DL4J's importer does not read): save it with model.save('model.h5'), or convert it to ONNX with tf2onnx",
                e.getMessage());
        assertFalse(Files.exists(out));
    }
}
