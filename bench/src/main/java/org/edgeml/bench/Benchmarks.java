package org.edgeml.bench;

import java.util.List;

/** The names {@code edgeml bench} reports for {@link InferenceBenchmarks}' methods, in table order. */
final class Benchmarks {
    private record Entry(String method, String name, String description) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry("int8Vector", "int8_vector_b1", "edgeml int8, Vector API kernel, batch 1"),
            new Entry("int8Scalar", "int8_scalar_b1", "edgeml int8, scalar reference, batch 1"),
            new Entry("ortInt8", "ort_int8_b1", "ONNX Runtime int8 QDQ (QGemm), batch 1"),
            new Entry("ortFloat", "ort_float_b1", "ONNX Runtime float32, batch 1"),
            new Entry("floatJava", "float_java_b1", "float32 Java reference (FloatNetwork), batch 1"),
            new Entry("dl4j", "dl4j_float_b1", "DL4J output() float32, batch 1"),
            new Entry("int8VectorBatch", "int8_vector_batch", "edgeml int8, Vector API kernel, batch"),
            new Entry("int8ScalarBatch", "int8_scalar_batch", "edgeml int8, scalar reference, batch"),
            new Entry("ortInt8Batch", "ort_int8_batch", "ONNX Runtime int8 QDQ, batch"),
            new Entry("ortFloatBatch", "ort_float_batch", "ONNX Runtime float32, batch"),
            new Entry("floatJavaBatch", "float_java_batch", "float32 Java reference, batch"),
            new Entry("dl4jBatch", "dl4j_float_batch", "DL4J output() float32, batch"),
            new Entry("preprocessFrame", "preprocess_640x480", "640x480 I420 luma -> 28x28 int8 input"),
            new Entry("cnnInt8Vector", "cnn_int8_vector_b1", "CNN: edgeml int8, fast path (Vector API conv, pool, dense), batch 1"),
            new Entry("cnnInt8Scalar", "cnn_int8_scalar_b1", "CNN: edgeml int8, scalar reference, batch 1"),
            new Entry("cnnOrtInt8", "cnn_ort_int8_b1", "CNN: ONNX Runtime int8 (QLinearConv), batch 1"),
            new Entry("cnnOrtFloat", "cnn_ort_float_b1", "CNN: ONNX Runtime float32, batch 1"),
            new Entry("cnnDl4j", "cnn_dl4j_float_b1", "CNN: DL4J output() float32, batch 1"));

    private Benchmarks() {}

    static String name(String method) {
        return entry(method).name();
    }

    static String description(String method) {
        return entry(method).description();
    }

    static int order(String name) {
        for (int i = 0; i < ENTRIES.size(); i++) {
            if (ENTRIES.get(i).name().equals(name)) {
                return i;
            }
        }
        return ENTRIES.size();
    }

    private static Entry entry(String method) {
        for (Entry e : ENTRIES) {
            if (e.method().equals(method)) {
                return e;
            }
        }
        return new Entry(method, method, method);
    }
}
