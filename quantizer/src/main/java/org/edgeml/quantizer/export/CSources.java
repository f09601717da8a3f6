package org.edgeml.quantizer.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.edgeml.core.model.LoadedModel;

/**
 * The C sources {@code edgeml export-c} writes for a model, by file name: the model header, the
 * inference code, the golden vectors and the self-test. The inference code and the self-test are
 * fixed templates (resources next to this class) that only learn the model header's file name.
 */
public final class CSources {
    public static final String INFER_HEADER = "edgeml_infer.h";
    public static final String INFER_SOURCE = "edgeml_infer.c";
    public static final String SELFTEST_SOURCE = "edgeml_selftest.c";

    private CSources() {}

    /** The stem of the model-specific file names: the model name as a C identifier. */
    public static String stem(LoadedModel model) {
        return CCode.fileStem(model.model().info().name());
    }

    public static String modelHeaderName(LoadedModel model) {
        return stem(model) + "_model.h";
    }

    public static String goldenHeaderName(LoadedModel model) {
        return stem(model) + "_golden.h";
    }

    /** File name to content, in the order they are best read. */
    public static Map<String, String> generate(LoadedModel model) {
        String modelHeader = modelHeaderName(model);
        String goldenHeader = goldenHeaderName(model);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(modelHeader, ModelHeader.generate(model, modelHeader));
        files.put(INFER_HEADER, template(INFER_HEADER, modelHeader, goldenHeader));
        files.put(INFER_SOURCE, template(INFER_SOURCE, modelHeader, goldenHeader));
        files.put(goldenHeader, GoldenHeader.generate(model, goldenHeader));
        files.put(SELFTEST_SOURCE, template(SELFTEST_SOURCE, modelHeader, goldenHeader));
        return files;
    }

    private static String template(String name, String modelHeader, String goldenHeader) {
        try (InputStream in = CSources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the C template " + name + " is missing from the quantizer jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@MODEL_HEADER@", modelHeader)
                    .replace("@GOLDEN_HEADER@", goldenHeader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the C template " + name, e);
        }
    }
}
