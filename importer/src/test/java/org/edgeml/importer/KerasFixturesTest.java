package org.edgeml.importer;

import java.nio.file.Path;
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
}
