package org.edgeml.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * ONNX Runtime at its best for one fixed batch size: one intra-op and one inter-op thread, all graph
 * optimizations, and input and output tensors allocated once over direct buffers, so a run copies
 * nothing on the Java side and writes its result into the same (pinned) output buffer every time.
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final ByteBuffer input;
    private final ByteBuffer output;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;

    /**
     * @param optimizedModel where ORT writes the graph after its optimizations (to see what it fused), or null
     */
    public OrtRunner(byte[] onnx, String inputName, OnnxJavaType inputType, int inputWidth,
                     String outputName, OnnxJavaType outputType, int outputWidth, int batch, String optimizedModel) {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (optimizedModel != null) {
                    options.setOptimizedModelFilePath(optimizedModel);
                }
                session = env.createSession(onnx, options);
            }
            input = direct(batch * inputWidth * inputType.size);
            output = direct(batch * outputWidth * outputType.size);
            inputTensor = OnnxTensor.createTensor(env, input, new long[] {batch, inputWidth}, inputType);
            outputTensor = OnnxTensor.createTensor(env, output, new long[] {batch, outputWidth}, outputType);
            inputs = Map.of(inputName, inputTensor);
            outputs = Map.of(outputName, outputTensor);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
    }

    /** The input tensor's memory: write the batch here (absolute puts) before {@link #run}. */
    public ByteBuffer input() {
        return input;
    }

    /** The output tensor's memory, filled by {@link #run}. */
    public ByteBuffer output() {
        return output;
    }

    public void run() {
        try {
            session.run(inputs, outputs).close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        inputTensor.close();
        outputTensor.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
