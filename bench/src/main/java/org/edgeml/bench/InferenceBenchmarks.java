package org.edgeml.bench;

import ai.onnxruntime.OnnxJavaType;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.bench.onnx.FloatOnnxExport;
import org.edgeml.bench.onnx.QdqOnnxExport;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The JMH benchmarks behind {@code edgeml bench}: every implementation runs the same model (read from
 * the files {@link BenchCommand} names in system properties) on the same images, one thread each.
 * Batch-1 methods classify one image per call, cycling through {@link #CYCLE} images so no peer can
 * cache a result; batch methods classify {@link #BATCH} images per call and JMH divides by the count.
 * Each peer gets its input in its native form, prepared outside the timed code (preprocessing is
 * measured on its own). JMH samples the time of single calls, so {@link BenchCommand} can report
 * medians, which a shared machine's preemptions barely move (a mean takes every stall in).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferenceBenchmarks {
    static final String INT8_FILE = "edgeml.bench.int8";
    static final String FLOAT_FILE = "edgeml.bench.float";
    static final String SEED = "edgeml.bench.seed";
    public static final int BATCH = 1000;
    static final int CYCLE = 64;

    /** The model and the images in every peer's input form. */
    @State(Scope.Thread)
    public static class Inputs {
        BenchModel model;
        byte[][] int8;
        float[][] floats;
        int next;

        @Setup(Level.Trial)
        public void load() {
            model = BenchModel.load(Path.of(System.getProperty(INT8_FILE)), Path.of(System.getProperty(FLOAT_FILE)),
                    Long.getLong(SEED, 1), BATCH);
            Int8Engine engine = new Int8Engine(model.int8Model(), DenseKernels.SCALAR.factory());
            FloatNetwork network = new FloatNetwork(model.floatModel());
            int n = model.images().count();
            int8 = new byte[n][engine.inputSize()];
            floats = new float[n][];
            for (int i = 0; i < n; i++) {
                engine.quantizeInput(model.images().image(i), int8[i]);
                floats[i] = network.input(model.images().image(i));
            }
        }

        int nextImage() {
            next = (next + 1) % CYCLE;
            return next;
        }

        int width() {
            return int8[0].length;
        }

        int classes() {
            return model.int8Model().classes();
        }
    }

    @State(Scope.Thread)
    public static class ScalarEngine {
        Int8Engine engine;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            engine = new Int8Engine(in.model.int8Model(), DenseKernels.SCALAR.factory());
        }
    }

    @State(Scope.Thread)
    public static class VectorEngine {
        Int8Engine engine;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            engine = new Int8Engine(in.model.int8Model(), DenseKernels.vector().factory());
        }
    }

    @State(Scope.Thread)
    public static class JavaFloat {
        FloatNetwork network;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            network = new FloatNetwork(in.model.floatModel());
        }
    }

    @State(Scope.Thread)
    public static class Dl4j {
        MultiLayerNetwork network;
        INDArray[] single;
        INDArray batch;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            network = Dl4jNetwork.of(in.model.floatModel());
            single = new INDArray[CYCLE];
            for (int i = 0; i < CYCLE; i++) {
                single[i] = Nd4j.create(new float[][] {in.floats[i]});
            }
            batch = Nd4j.create(in.floats);
        }
    }

    @State(Scope.Thread)
    public static class OrtFloat {
        OrtRunner single;
        OrtRunner batch;
        FloatBuffer singleInput;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            byte[] onnx = FloatOnnxExport.export(in.model.floatModel());
            single = new OrtRunner(onnx, FloatOnnxExport.INPUT, OnnxJavaType.FLOAT, in.width(),
                    FloatOnnxExport.OUTPUT, OnnxJavaType.FLOAT, in.classes(), 1, null);
            singleInput = single.input().asFloatBuffer();
            batch = new OrtRunner(onnx, FloatOnnxExport.INPUT, OnnxJavaType.FLOAT, in.width(),
                    FloatOnnxExport.OUTPUT, OnnxJavaType.FLOAT, in.classes(), BATCH, null);
            for (int i = 0; i < BATCH; i++) {
                batch.input().asFloatBuffer().put(i * in.width(), in.floats[i]);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            single.close();
            batch.close();
        }
    }

    @State(Scope.Thread)
    public static class OrtInt8 {
        OrtRunner single;
        OrtRunner batch;
        byte[][] u8;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            byte[] onnx = QdqOnnxExport.export(in.model.int8Model());
            single = new OrtRunner(onnx, QdqOnnxExport.INPUT, OnnxJavaType.UINT8, in.width(),
                    QdqOnnxExport.OUTPUT, OnnxJavaType.UINT8, in.classes(), 1, null);
            batch = new OrtRunner(onnx, QdqOnnxExport.INPUT, OnnxJavaType.UINT8, in.width(),
                    QdqOnnxExport.OUTPUT, OnnxJavaType.UINT8, in.classes(), BATCH, null);
            u8 = new byte[in.int8.length][in.width()];
            for (int i = 0; i < u8.length; i++) {
                for (int k = 0; k < in.width(); k++) {
                    u8[i][k] = (byte) (in.int8[i][k] + 128);
                }
                batch.input().put(i * in.width(), u8[i]);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            single.close();
            batch.close();
        }
    }

    /** A 640x480 I420 camera frame (random content), cropped and averaged down to the model's input. */
    @State(Scope.Thread)
    public static class Frame {
        static final int WIDTH = 640;
        static final int HEIGHT = 480;
        byte[] i420 = new byte[WIDTH * HEIGHT * 3 / 2];
        byte[] pixels;
        byte[] int8;
        Preprocessor preprocessor;
        Int8Engine engine;

        @Setup(Level.Trial)
        public void prepare(Inputs in) {
            new Random(5).nextBytes(i420);
            var input = in.model.int8Model().input();
            preprocessor = new Preprocessor(input.height(), input.width(), input.invert());
            pixels = new byte[preprocessor.outputSize()];
            int8 = new byte[preprocessor.outputSize()];
            engine = new Int8Engine(in.model.int8Model(), DenseKernels.SCALAR.factory());
        }
    }

    @Benchmark
    public byte int8Scalar(Inputs in, ScalarEngine s) {
        return (byte) s.engine.classify(in.int8[in.nextImage()]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void int8ScalarBatch(Inputs in, ScalarEngine s, Blackhole bh) {
        for (byte[] x : in.int8) {
            bh.consume(s.engine.classify(x));
        }
    }

    @Benchmark
    public byte int8Vector(Inputs in, VectorEngine v) {
        return (byte) v.engine.classify(in.int8[in.nextImage()]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void int8VectorBatch(Inputs in, VectorEngine v, Blackhole bh) {
        for (byte[] x : in.int8) {
            bh.consume(v.engine.classify(x));
        }
    }

    @Benchmark
    public int floatJava(Inputs in, JavaFloat f) {
        return f.network.classify(in.floats[in.nextImage()]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void floatJavaBatch(Inputs in, JavaFloat f, Blackhole bh) {
        for (float[] x : in.floats) {
            bh.consume(f.network.classify(x));
        }
    }

    @Benchmark
    public INDArray dl4j(Inputs in, Dl4j d) {
        return d.network.output(d.single[in.nextImage()]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public INDArray dl4jBatch(Dl4j d) {
        return d.network.output(d.batch);
    }

    @Benchmark
    public float ortFloat(Inputs in, OrtFloat o) {
        o.singleInput.put(0, in.floats[in.nextImage()]);
        o.single.run();
        return o.single.output().getFloat(0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float ortFloatBatch(OrtFloat o) {
        o.batch.run();
        return o.batch.output().getFloat(0);
    }

    @Benchmark
    public byte ortInt8(Inputs in, OrtInt8 o) {
        o.single.input().put(0, o.u8[in.nextImage()]);
        o.single.run();
        return o.single.output().get(0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte ortInt8Batch(OrtInt8 o) {
        o.batch.run();
        return o.batch.output().get(0);
    }

    @Benchmark
    public byte preprocessFrame(Frame f) {
        f.preprocessor.process(f.i420, 0, Frame.WIDTH, Frame.HEIGHT, Frame.WIDTH, f.pixels);
        f.engine.quantizeInput(f.pixels, f.int8);
        return f.int8[0];
    }
}
