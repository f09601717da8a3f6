package org.edgeml.bench;

import ai.onnxruntime.OnnxJavaType;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.bench.onnx.FloatOnnxExport;
import org.edgeml.bench.onnx.QdqOnnxExport;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatModelFile;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The CNN rows of {@code edgeml bench}: batch-1 latency of one CNN (the int8 model and its float model,
 * from the files {@link BenchCommand} names in system properties) on the int8 engine's fast path and
 * scalar reference, ONNX Runtime int8 (QLinearConv), ONNX Runtime float and DL4J. Like
 * {@link InferenceBenchmarks}: one image per call, cycling through {@link InferenceBenchmarks#CYCLE}
 * seeded images, every peer's input prepared in its native form outside the timed code. No batch rows: a
 * camera classifies one frame at a time, and the scalar reference would take seconds per batch.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CnnBenchmarks {
    static final String INT8_FILE = "edgeml.bench.cnn.int8";
    static final String FLOAT_FILE = "edgeml.bench.cnn.float";

    /** The CNN and the images in every peer's input form. */
    @State(Scope.Thread)
    public static class Inputs {
        Q8Model int8Model;
        FloatModel floatModel;
        byte[][] int8;
        byte[][] u8;
        float[][] floats;
        int next;

        @Setup(Level.Trial)
        public void load() {
            int8Model = Q8ModelFile.read(Path.of(System.getProperty(INT8_FILE))).model();
            floatModel = FloatModelFile.read(Path.of(System.getProperty(FLOAT_FILE)));
            byte[][] pixels = BenchModel.blobPixels(floatModel.input().height(), floatModel.input().width(),
                    floatModel.input().channels(), InferenceBenchmarks.CYCLE, Long.getLong(InferenceBenchmarks.SEED, 1) + 1);
            Int8Engine engine = new Int8Engine(int8Model, DenseKernels.SCALAR);
            FloatNetwork network = new FloatNetwork(floatModel);
            int8 = new byte[pixels.length][engine.inputSize()];
            u8 = new byte[pixels.length][engine.inputSize()];
            floats = new float[pixels.length][];
            for (int i = 0; i < pixels.length; i++) {
                engine.quantizeInput(pixels[i], int8[i]);
                for (int k = 0; k < int8[i].length; k++) {
                    u8[i][k] = (byte) (int8[i][k] + 128);
                }
                floats[i] = network.input(pixels[i]);
            }
        }

        int nextImage() {
            next = (next + 1) % InferenceBenchmarks.CYCLE;
            return next;
        }
    }

    @State(Scope.Thread)
    public static class ScalarEngine {
        Int8Engine engine;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            engine = new Int8Engine(in.int8Model, DenseKernels.SCALAR);
        }
    }

    /** The engine as the runtime builds it: the Vector API conv2d, max pool and dense kernels. */
    @State(Scope.Thread)
    public static class VectorEngine {
        Int8Engine engine;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            engine = new Int8Engine(in.int8Model, DenseKernels.vector());
        }
    }

    @State(Scope.Thread)
    public static class OrtInt8 {
        OrtRunner ort;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            ort = new OrtRunner(QdqOnnxExport.export(in.int8Model), QdqOnnxExport.INPUT, OnnxJavaType.UINT8, in.u8[0].length,
                    QdqOnnxExport.OUTPUT, OnnxJavaType.UINT8, in.int8Model.classes(), 1, null);
        }

        @TearDown(Level.Trial)
        public void close() {
            ort.close();
        }
    }

    @State(Scope.Thread)
    public static class OrtFloat {
        OrtRunner ort;
        FloatBuffer input;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            ort = new OrtRunner(FloatOnnxExport.export(in.floatModel), FloatOnnxExport.INPUT, OnnxJavaType.FLOAT,
                    in.floats[0].length, FloatOnnxExport.OUTPUT, OnnxJavaType.FLOAT, in.floatModel.labels().size(), 1, null);
            input = ort.input().asFloatBuffer();
        }

        @TearDown(Level.Trial)
        public void close() {
            ort.close();
        }
    }

    @State(Scope.Thread)
    public static class Dl4j {
        MultiLayerNetwork network;
        INDArray[] single;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            network = Dl4jNetwork.of(in.floatModel);
            single = new INDArray[in.floats.length];
            for (int i = 0; i < single.length; i++) {
                single[i] = Nd4j.create(new float[][] {Dl4jNetwork.chw(in.floatModel, in.floats[i])});
            }
        }
    }

    @Benchmark
    public INDArray cnnDl4j(Inputs in, Dl4j d) {
        return d.network.output(d.single[in.nextImage()]);
    }

    @Benchmark
    public byte cnnInt8Vector(Inputs in, VectorEngine v) {
        return (byte) v.engine.classify(in.int8[in.nextImage()]);
    }

    @Benchmark
    public byte cnnInt8Scalar(Inputs in, ScalarEngine s) {
        return (byte) s.engine.classify(in.int8[in.nextImage()]);
    }

    @Benchmark
    public byte cnnOrtInt8(Inputs in, OrtInt8 o) {
        o.ort.input().put(0, in.u8[in.nextImage()]);
        o.ort.run();
        return o.ort.output().get(0);
    }

    @Benchmark
    public float cnnOrtFloat(Inputs in, OrtFloat o) {
        o.input.put(0, in.floats[in.nextImage()]);
        o.ort.run();
        return o.ort.output().getFloat(0);
    }
}
