package org.edgeml.importer.keras;

import java.nio.file.Path;
import java.util.Map;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.importer.ImportException;
import org.edgeml.importer.ImportOptions;

/** Keras .h5 through DL4J's modelimport. */
public final class KerasImporter {
    private KerasImporter() {}

    public static FloatModel read(Path file, ImportOptions options, Map<String, Object> metadata) {
        throw new ImportException("Keras import is not there yet");
    }
}
