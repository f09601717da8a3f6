package org.edgeml.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.edgeml.core.EdgemlException;
import org.edgeml.host.floatmodel.FloatModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built graphs that edgeml must refuse with one line naming the node, and write nothing. */
class OnnxRefusalTest {
    @TempDir
    Path dir;

    @Test
    void unsupportedOpIsNamedWithWhatIsSupported() {
        Graph g = new Graph(1, 1, 4, 4).flatten().gemm("fc", 16, 4).node("odd", "Hardmax", "x");
        String message = refused(g, ImportOptions.defaults());
        assertTrue(message.startsWith("node 'odd' (Hardmax): is not supported: edgeml imports Gemm"), message);
    }

    @Test
    void secondInputIsRefused() {
        Graph g = new Graph(1, 1, 4, 4).flatten().gemm("fc", 16, 4);
        g.graph.addInput(valueInfo("mask", 1, 4));
        assertTrue(refused(g, ImportOptions.defaults()).startsWith("the graph has 2 inputs (input, mask)"));
    }

    @Test
    void leakyReluWithAnotherSlopeIsRefused() {
        Graph g = new Graph(1, 1, 4, 4).flatten().gemm("fc", 16, 4);
        g.node("leaky", "LeakyRelu", "x", floatAttribute("alpha", 0.2f));
        assertTrue(refused(g, ImportOptions.defaults()).startsWith("node 'leaky' (LeakyRelu): the elementwise ops [LeakyRelu]"));
    }

    @Test
    void pytorchStride2PaddingOnAnEvenSizeIsNotSameAndIsRefused() {
        // PyTorch Conv2d(1, 2, 3, stride=2, padding=1) on 8x8: pads 1 before; TensorFlow's same pads 0 before, 1 after
        Graph g = new Graph(1, 1, 8, 8).conv("c", 2, 3, 2, 1);
        String message = refused(g, ImportOptions.defaults());
        assertTrue(message.startsWith("node 'c' (Conv): kernel 3x3 stride 2x2 pads [1, 1, 1, 1] over 8x8x1 gives 4x4"
                + " with padding 1,1 before: edgeml's windows use TensorFlow's same or valid padding"), message);
    }

    @Test
    void stride2PaddingOnAnOddSizeIsSame() {
        Graph g = new Graph(1, 1, 7, 7).conv("c", 2, 3, 2, 1).flatten().gemm("fc", 4 * 4 * 2, 3);
        FloatModel m = imported(g, ImportOptions.defaults());
        assertEquals("conv2d", m.features().get(0).kind());
    }

    @Test
    void perChannelNormalizationBeforeAPaddedConvIsRefused() {
        Graph g = new Graph(1, 3, 6, 6).conv("c", 2, 3, 1, 1).flatten().gemm("fc", 6 * 6 * 2, 3);
        ImportOptions options = new ImportOptions(null, null, null,
                new Preprocessing(1 / 255.0, 0, false, new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}));
        assertTrue(refused(g, options).startsWith("a per-channel input normalization before a zero-padded conv2d cannot be"
                + " folded exactly"));
    }

    @Test
    void dynamicSizeNeedsInputOption() {
        Graph g = new Graph(1, 1, -1, -1).flatten().gemm("fc", 16, 4);
        assertTrue(refused(g, ImportOptions.defaults()).startsWith("input 'input' [1, 1, ?, ?] has a dynamic size: give --input HxWxC"));
        FloatModel m = imported(g, new ImportOptions(null, null, new ImportOptions.InputDims(4, 4, 1), null));
        assertEquals(16, m.input().size());
    }

    @Test
    void weightsThatDoNotMatchAreRefused() {
        Graph g = new Graph(1, 1, 4, 4).flatten().gemm("fc", 20, 4);
        assertEquals("node 'fc' (Gemm): weights for 20 inputs, but the layer before gives 16 values", refused(g, ImportOptions.defaults()));
    }

    @Test
    void labelsMustMatchTheOutputs() {
        Graph g = new Graph(1, 1, 4, 4).flatten().gemm("fc", 16, 4);
        ImportOptions options = new ImportOptions(List.of("a", "b"), null, null, null);
        assertEquals("--labels gives 2 labels but the model has 4 outputs: give one label per output", refused(g, options));
    }

    @Test
    void branchesAreRefused() {
        Graph g = new Graph(1, 1, 4, 4).flatten().gemm("fc", 16, 4);
        g.graph.addNode(NodeProto.newBuilder().setName("skip").setOpType("Add").addInput("x").addInput("flat").addOutput("y"));
        g.last = "y";
        assertTrue(refused(g, ImportOptions.defaults()).startsWith("node 'skip' (Add): takes x, flat where the chain is at 'x'"));
    }

    private String refused(Graph g, ImportOptions options) {
        Path out = dir.resolve("out.zip");
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> ImportJob.run(new ImportJob.Request(g.write(dir), out, options), quiet()));
        assertEquals(2, e.exitCode());
        assertFalse(Files.exists(out), "nothing is written");
        assertFalse(e.getMessage().contains("\n"), "one line");
        return e.getMessage();
    }

    private FloatModel imported(Graph g, ImportOptions options) {
        return ImportJob.run(new ImportJob.Request(g.write(dir), dir.resolve("ok.zip"), options), quiet()).model();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    /** A graph built one node at a time; {@code last} is the chain's current value. */
    static final class Graph {
        final GraphProto.Builder graph = GraphProto.newBuilder().setName("g");
        String last = "input";
        int count;
        int channels;
        int height;
        int width;

        Graph(int n, int c, int h, int w) {
            graph.addInput(valueInfo("input", n, c, h, w));
            channels = c;
            height = h;
            width = w;
        }

        Graph node(String name, String op, String out, AttributeProto... attributes) {
            NodeProto.Builder b = NodeProto.newBuilder().setName(name).setOpType(op).addInput(last).addOutput(out);
            for (AttributeProto a : attributes) {
                b.addAttribute(a);
            }
            graph.addNode(b);
            last = out;
            return this;
        }

        Graph flatten() {
            return node("flatten", "Flatten", "flat");
        }

        Graph gemm(String name, int inputs, int outputs) {
            graph.addInitializer(tensor(name + ".W", outputs, inputs));
            graph.addInitializer(tensor(name + ".b", outputs));
            graph.addNode(NodeProto.newBuilder().setName(name).setOpType("Gemm").addInput(last).addInput(name + ".W")
                    .addInput(name + ".b").addOutput("x").addAttribute(intAttribute("transB", 1)));
            last = "x";
            return this;
        }

        Graph conv(String name, int filters, int k, int stride, int pad) {
            graph.addInitializer(tensor(name + ".W", filters, channels, k, k));
            graph.addNode(NodeProto.newBuilder().setName(name).setOpType("Conv").addInput(last).addInput(name + ".W")
                    .addOutput("conv").addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", stride, stride))
                    .addAttribute(ints("pads", pad, pad, pad, pad)));
            last = "conv";
            channels = filters;
            return this;
        }

        Path write(Path dir) {
            GraphProto.Builder g = graph.clone();
            g.addOutput(valueInfo(last, 1, -1));
            ModelProto m = ModelProto.newBuilder().setIrVersion(7).setGraph(g)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).build();
            try {
                Path file = dir.resolve("g" + (count++) + ".onnx");
                Files.write(file, m.toByteArray());
                return file;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d > 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(d)
                    : TensorShapeProto.Dimension.newBuilder().setDimParam("d"));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    static TensorProto tensor(String name, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1);
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        for (int i = 0; i < n; i++) {
            t.addFloatData((float) Math.sin(i));
        }
        return t.build();
    }

    static AttributeProto intAttribute(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto floatAttribute(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }
}
