package org.edgeml.importer.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.ValueInfoProto;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.importer.ImportException;
import org.edgeml.importer.ImportOptions;
import org.edgeml.importer.ModelBuilder;
import org.edgeml.importer.ModelBuilder.FlattenOrder;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads an ONNX model (opset 9 or later, as {@code torch.onnx.export} and tf2onnx write them) whose graph
 * is one chain from one image input to one output of class scores, and turns it into an edgeml float model
 * through {@link ModelBuilder}. Parsing uses ONNX's own generated protobuf classes (carried by nd4j-api).
 */
public final class OnnxImporter {
    public static final int MIN_OPSET = 9;

    private final GraphProto graph;
    private final ImportOptions options;
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final Set<NodeProto> done = new HashSet<>();
    private ModelBuilder builder;
    /** The value that holds the network's activation at the current point of the chain. */
    private String current;
    /** True while the activation is laid out NHWC (an input before its transpose, or tf2onnx's transposes back). */
    private boolean channelsLast;
    /** Zero padding a Pad node put before the next conv or pool: top, left, bottom, right. */
    private int[] pendingPad;
    private String lastNode = "input";

    private OnnxImporter(GraphProto graph, ImportOptions options) {
        this.graph = graph;
        this.options = options;
    }

    public static FloatModel read(Path file, ImportOptions options, Map<String, Object> metadata) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ImportException(file + " does not exist: give the path of an .onnx file");
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException(file + " is not an ONNX model (" + e.getMessage() + "): give a file written by"
                    + " torch.onnx.export or tf2onnx");
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e.getMessage());
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ImportException(file + " holds no ONNX graph: give a file written by torch.onnx.export or tf2onnx");
        }
        long opset = -1;
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                opset = id.getVersion();
            }
        }
        if (opset >= 0 && opset < MIN_OPSET) {
            throw new ImportException(file + " uses ONNX opset " + opset + ": edgeml imports opset " + MIN_OPSET
                    + " and later (export again with opset_version=13)");
        }
        Map<String, Object> facts = new LinkedHashMap<>(metadata);
        facts.put("source", "onnx");
        facts.put("producer", (model.getProducerName() + " " + model.getProducerVersion()).trim());
        facts.put("opset", opset);
        return new OnnxImporter(model.getGraph(), options).convert(facts);
    }

    private FloatModel convert(Map<String, Object> metadata) {
        for (var t : graph.getInitializerList()) {
            constants.put(t.getName(), Tensor.of(t, t.getName(), "initializer"));
        }
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : graph.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw new ImportException("the graph has " + inputs.size() + " inputs (" + names(inputs)
                    + "): edgeml imports models with one image input");
        }
        if (graph.getOutputCount() != 1) {
            throw new ImportException("the graph has " + graph.getOutputCount() + " outputs (" + names(graph.getOutputList())
                    + "): edgeml imports models with one output of class scores");
        }
        ValueInfoProto input = inputs.get(0);
        current = input.getName();
        builder = new ModelBuilder(inputShape(input), options.preprocessing());
        if (flatInput) {
            builder.flatten(FlattenOrder.HWC);
        }
        for (NodeProto n : graph.getNodeList()) {
            if (!done.contains(n)) {
                visit(n);
            }
        }
        String output = graph.getOutput(0).getName();
        if (!current.equals(output)) {
            throw new ImportException("the graph's output '" + output + "' is not computed by the chain of layers from its"
                    + " input (which ends at node '" + lastNode + "'): edgeml imports one chain from input to output");
        }
        return builder.build(lastNode, options.labels(), metadata);
    }

    /** The input's H x W x C from its declared shape, with --input for what is not fixed there. */
    private Shape inputShape(ValueInfoProto input) {
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        List<Long> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : shape.getDimList()) {
            dims.add(d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : -1L);
        }
        ImportOptions.InputDims given = options.input();
        String where = "input '" + input.getName() + "' " + describe(dims);
        if (dims.size() == 4) {
            if (dims.get(0) > 1) {
                throw new ImportException(where + " has batch size " + dims.get(0) + ": export with a batch of 1 or a dynamic batch");
            }
            channelsLast = startsWithNhwcTranspose(input.getName());
            long h = channelsLast ? dims.get(1) : dims.get(2);
            long w = channelsLast ? dims.get(2) : dims.get(3);
            long c = channelsLast ? dims.get(3) : dims.get(1);
            return fixed(where, h, w, c, given);
        }
        if (dims.size() == 3) {
            return fixed(where, dims.get(1), dims.get(2), 1, given);
        }
        if (dims.size() == 2) {
            long d = dims.get(1);
            Shape s;
            if (given != null) {
                s = new Shape(given.height(), given.width(), given.channels());
                if (d > 0 && d != s.size()) {
                    throw new ImportException(where + " takes " + d + " values but --input " + given + " gives " + s.size()
                            + ": give --input HxWxC with H*W*C = " + d);
                }
            } else {
                long side = Math.round(Math.sqrt(d));
                if (d <= 0 || side * side != d) {
                    throw new ImportException(where + " is a flat vector of " + (d > 0 ? d + " values" : "unknown size")
                            + ": give --input HxWxC (e.g. --input 28x28x1)");
                }
                s = new Shape((int) side, (int) side, 1);
            }
            flatInput = true;
            return s;
        }
        throw new ImportException(where + " has rank " + dims.size() + ": edgeml imports an image input"
                + " [N, C, H, W] (or [N, H, W, C] followed by a Transpose) or a flat [N, D]");
    }

    /** The input is a flat [N, D] vector (HWC order): the network starts flat. */
    private boolean flatInput;

    private static Shape fixed(String where, long h, long w, long c, ImportOptions.InputDims given) {
        if (given != null) {
            if ((h > 0 && h != given.height()) || (w > 0 && w != given.width()) || (c > 0 && c != given.channels())) {
                throw new ImportException(where + " does not match --input " + given + ": leave --input out or make it agree");
            }
            return new Shape(given.height(), given.width(), given.channels());
        }
        if (h <= 0 || w <= 0 || c <= 0) {
            throw new ImportException(where + " has a dynamic size: give --input HxWxC (e.g. --input 28x28x1)");
        }
        if (c != 1 && c != 3) {
            throw new ImportException(where + " has " + c + " channels: edgeml's inputs have 1 (grey) or 3 (RGB)");
        }
        return new Shape((int) h, (int) w, (int) c);
    }

    private boolean startsWithNhwcTranspose(String input) {
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Transpose") && n.getInput(0).equals(input)) {
                return java.util.Arrays.equals(longs(n, "perm"), new long[] {0, 3, 1, 2});
            }
        }
        return false;
    }

    private void visit(NodeProto n) {
        String op = n.getOpType();
        String name = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        if (op.equals("Constant")) {
            constants.put(n.getOutput(0), constantOf(n, name));
            return;
        }
        List<String> computed = new ArrayList<>();
        for (String in : n.getInputList()) {
            if (!in.isEmpty() && !constants.containsKey(in) && !computed.contains(in)) {
                computed.add(in);
            }
        }
        if (computed.isEmpty()) {
            throw ImportException.at(name, op, "computes a constant at run time (a shape computation?): export with"
                    + " do_constant_folding=True and a fixed input size");
        }
        if (computed.size() > 1 || !computed.get(0).equals(current)) {
            throw ImportException.at(name, op, "takes " + String.join(", ", computed) + " where the chain is at '" + current
                    + "': edgeml imports a single chain of layers (no branches, skip connections or second inputs)");
        }
        lastNode = name;
        if (ScalarFunction.OPS.contains(op) && scalarConstants(n)) {
            elementwise(n, name);
            return;
        }
        switch (op) {
            case "Transpose" -> transpose(n, name);
            case "Pad" -> pad(n, name);
            case "Conv" -> conv(n, name);
            case "MaxPool", "AveragePool" -> pool(n, name);
            case "GlobalAveragePool" -> {
                requireNchw(name, op);
                builder.globalAveragePool(name, op);
            }
            case "Flatten" -> flatten(n, name, (int) longAttribute(n, "axis", 1));
            case "Reshape", "Squeeze" -> reshape(n, name);
            case "Gemm" -> gemm(n, name);
            case "MatMul" -> matMul(n, name);
            case "Add", "Sub", "Mul", "Div" -> channelAffine(n, name);
            case "BatchNormalization" -> batchNorm(n, name);
            case "Softmax", "LogSoftmax" -> {
                if (!n.getOutput(0).equals(graph.getOutput(0).getName())) {
                    throw ImportException.at(name, op, "a softmax inside the network: edgeml drops only a trailing softmax");
                }
            }
            default -> throw ImportException.at(name, op, "is not supported: edgeml imports Gemm, MatMul + Add, Conv"
                    + " (incl. grouped/depthwise), Relu, LeakyRelu, Sigmoid, Tanh, Elu, Gelu, MaxPool, AveragePool,"
                    + " GlobalAveragePool, Flatten, Reshape, BatchNormalization, Dropout, Identity, Constant, Pad (zeros),"
                    + " Transpose (of the input), Add/Sub/Mul/Div by constants and a trailing Softmax (see docs/import.md)");
        }
        current = n.getOutput(0);
        done.add(n);
    }

    // --- elementwise functions of one value -------------------------------------------------------------

    private boolean scalarConstants(NodeProto n) {
        for (String in : n.getInputList()) {
            Tensor t = constants.get(in);
            if (t != null && t.size() != 1) {
                return false;
            }
        }
        return true;
    }

    /** Collects the run of scalar elementwise nodes that starts at {@code first} and classifies it. */
    private void elementwise(NodeProto first, String name) {
        String x = current;
        Set<String> values = new HashSet<>(Set.of(x));
        List<NodeProto> region = new ArrayList<>();
        Map<String, Double> scalars = new HashMap<>();
        boolean started = false;
        for (NodeProto n : graph.getNodeList()) {
            if (n == first) {
                started = true;
            }
            if (!started || done.contains(n)) {
                continue;
            }
            if (n.getOpType().equals("Constant") && !region.isEmpty()) {
                constants.put(n.getOutput(0), constantOf(n, n.getName()));
                done.add(n);
                continue;
            }
            if (!ScalarFunction.OPS.contains(n.getOpType()) || !scalarConstants(n)) {
                continue;
            }
            boolean reads = false;
            boolean closed = true;
            for (String in : n.getInputList()) {
                if (in.isEmpty()) {
                    continue;
                }
                if (values.contains(in)) {
                    reads = true;
                } else if (constants.containsKey(in)) {
                    scalars.put(in, constants.get(in).values()[0]);
                } else {
                    closed = false;
                }
            }
            if (reads && closed) {
                region.add(n);
                values.add(n.getOutput(0));
                done.add(n);
            }
        }
        // the region's result: the one value that something outside it (or the graph output) reads
        Set<String> produced = new HashSet<>();
        for (NodeProto n : region) {
            produced.add(n.getOutput(0));
        }
        Set<String> readInside = new HashSet<>();
        for (NodeProto n : region) {
            readInside.addAll(n.getInputList());
        }
        List<String> results = new ArrayList<>();
        for (String v : produced) {
            int inside = 0;
            for (NodeProto n : region) {
                for (String in : n.getInputList()) {
                    if (in.equals(v)) {
                        inside++;
                    }
                }
            }
            boolean isOutput = v.equals(graph.getOutput(0).getName());
            if (uses.getOrDefault(v, 0) > inside || isOutput || !readInside.contains(v)) {
                results.add(v);
            }
        }
        String op = first.getOpType();
        if (results.size() != 1) {
            throw ImportException.at(name, op, "starts elementwise ops whose results " + results + " are read apart:"
                    + " edgeml imports one chain of layers");
        }
        ScalarFunction f = new ScalarFunction(region, x, results.get(0), scalars);
        ScalarFunction.Kind kind = f.classify();
        if (kind == null) {
            List<String> ops = new ArrayList<>();
            for (NodeProto n : region) {
                ops.add(n.getOpType());
            }
            throw ImportException.at(name, op, "the elementwise ops " + ops + " compute a function that is none of edgeml's"
                    + " activations (relu, leakyrelu with slope 0.01, tanh, sigmoid, elu with alpha 1, gelu as x*sigmoid(1.702x),"
                    + " gelu_erf, gelu_tanh) nor a scale and shift");
        }
        if (kind instanceof ScalarFunction.Act a) {
            builder.activation(name, op, a.activation());
        } else {
            ScalarFunction.Affine af = (ScalarFunction.Affine) kind;
            builder.affine(name, op, new double[] {af.scale()}, new double[] {af.shift()});
        }
        current = results.get(0);
    }

    // --- layout -----------------------------------------------------------------------------------------

    private void transpose(NodeProto n, String name) {
        long[] perm = longs(n, "perm");
        if (java.util.Arrays.equals(perm, new long[] {0, 3, 1, 2}) && channelsLast) {
            channelsLast = false;
        } else if (java.util.Arrays.equals(perm, new long[] {0, 2, 3, 1}) && !channelsLast && !builder.isFlat()) {
            channelsLast = true;
        } else {
            throw ImportException.at(name, "Transpose", "perm " + java.util.Arrays.toString(perm) + " is not supported:"
                    + " edgeml follows NHWC <-> NCHW transposes ([0, 3, 1, 2] and [0, 2, 3, 1]) only");
        }
    }

    private void requireNchw(String name, String op) {
        if (channelsLast && !builder.isFlat()) {
            throw ImportException.at(name, op, "runs on an NHWC tensor: ONNX's " + op + " takes NCHW (transpose with"
                    + " perm [0, 3, 1, 2] first)");
        }
    }

    private void flatten(NodeProto n, String name, int axis) {
        if (axis != 1) {
            throw ImportException.at(name, n.getOpType(), "flattens from axis " + axis + ": edgeml flattens from axis 1"
                    + " (keeping the batch)");
        }
        builder.flatten(channelsLast ? FlattenOrder.HWC : FlattenOrder.CHW);
        channelsLast = false;
    }

    private void reshape(NodeProto n, String name) {
        String op = n.getOpType();
        int size = builder.flatSize();
        if (op.equals("Reshape")) {
            Tensor target = constants.get(n.getInput(1));
            if (target == null) {
                throw ImportException.at(name, op, "its target shape is computed at run time: export with"
                        + " do_constant_folding=True and a fixed input size");
            }
            long[] t = target.longs();
            boolean flatTarget = t.length == 2 && (t[0] == 1 || t[0] == -1 || t[0] == 0)
                    && (t[1] == -1 || t[1] == size) && !(t[0] == -1 && t[1] == -1);
            if (!flatTarget) {
                throw ImportException.at(name, op, "reshapes to " + java.util.Arrays.toString(t) + ": edgeml follows a"
                        + " reshape to [N, " + size + "] (a flatten) only");
            }
        } else if (!builder.isFlat() && (builder.shape().height() != 1 || builder.shape().width() != 1)) {
            throw ImportException.at(name, op, "squeezes a " + builder.shape() + " feature map: edgeml follows a squeeze"
                    + " of 1 x 1 x C only (after a global average pool)");
        }
        flatten(n, name, 1);
    }

    // --- layers -----------------------------------------------------------------------------------------

    private void conv(NodeProto n, String name) {
        requireNchw(name, "Conv");
        requireSpatial(n, name);
        Tensor w = constant(n, 1, name, "weights");
        Shape in = builder.shape();
        if (w.rank() != 4) {
            throw ImportException.at(name, "Conv", "weights of shape " + w + ": edgeml imports 2-D convolutions (weights [O, C/group, kh, kw])");
        }
        int filters = (int) w.dims()[0];
        int groupInputs = (int) w.dims()[1];
        int kh = (int) w.dims()[2];
        int kw = (int) w.dims()[3];
        int group = (int) longAttribute(n, "group", 1);
        int channels = in.channels();
        if (group < 1 || groupInputs * group != channels || filters % group != 0) {
            throw ImportException.at(name, "Conv", "weights " + w + " with group " + group + " do not match the " + channels
                    + " input channels of the " + in + " feature map");
        }
        float[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? constant(n, 2, name, "bias").floats() : new float[filters];
        if (bias.length != filters) {
            throw ImportException.at(name, "Conv", "bias of " + bias.length + " values for " + filters + " filters");
        }
        Window window = window(n, name, in, kh, kw, true);
        double[] wv = w.values();
        if (group == channels && filters == channels && group > 1) {
            float[] hwc = new float[kh * kw * channels];
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < kh * kw; k++) {
                    hwc[k * channels + c] = (float) wv[c * kh * kw + k];
                }
            }
            builder.depthwise(name, "Conv", window, hwc, bias);
            return;
        }
        // OHWI; a grouped conv becomes a full conv whose filters read only their group's channels (zeros elsewhere)
        int groupOutputs = filters / group;
        float[] ohwi = new float[filters * kh * kw * channels];
        for (int o = 0; o < filters; o++) {
            int g = o / groupOutputs;
            for (int ci = 0; ci < groupInputs; ci++) {
                int c = g * groupInputs + ci;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        ohwi[((o * kh + ky) * kw + kx) * channels + c] = (float) wv[((o * groupInputs + ci) * kh + ky) * kw + kx];
                    }
                }
            }
        }
        builder.conv(name, "Conv", window, filters, ohwi, bias);
    }

    private void pool(NodeProto n, String name) {
        String op = n.getOpType();
        requireNchw(name, op);
        requireSpatial(n, name);
        long[] k = longs(n, "kernel_shape");
        if (k == null || k.length != 2) {
            throw ImportException.at(name, op, "kernel_shape " + java.util.Arrays.toString(k) + ": edgeml imports 2-D pools");
        }
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
            throw ImportException.at(name, op, "its indices output is used: edgeml's max pool gives values only");
        }
        Shape in = builder.shape();
        boolean zeroPadded = pendingPad != null && (pendingPad[0] | pendingPad[1] | pendingPad[2] | pendingPad[3]) != 0;
        boolean countsPadding = op.equals("AveragePool") && (zeroPadded || longAttribute(n, "count_include_pad", 0) == 1);
        if (op.equals("MaxPool") && zeroPadded) {
            throw ImportException.at(name, op, "follows a zero Pad, which the max would count: edgeml's max pool skips"
                    + " padding (use MaxPool's own pads)");
        }
        Window window = window(n, name, in, (int) k[0], (int) k[1], false);
        if (op.equals("MaxPool")) {
            builder.maxPool(name, op, window);
        } else if (countsPadding && window.padding() != org.edgeml.core.model.Padding.VALID) {
            // PyTorch's count_include_pad: every window divides by kh*kw, padding counted as zeros; that is a
            // depthwise conv with weights 1/(kh*kw), exact where edgeml's average pool (padding not counted) is not
            int c = in.channels();
            float[] weights = new float[(int) (k[0] * k[1]) * c];
            java.util.Arrays.fill(weights, (float) (1.0 / (k[0] * k[1])));
            builder.depthwise(name, op, window, weights, new float[c]);
        } else {
            builder.averagePool(name, op, window);
        }
    }

    private void gemm(NodeProto n, String name) {
        if (longAttribute(n, "transA", 0) != 0) {
            throw ImportException.at(name, "Gemm", "transA = 1: edgeml imports Gemm with the activation as A, untransposed");
        }
        requireFlat(n, name);
        Tensor b = constant(n, 1, name, "weights (B)");
        boolean transB = longAttribute(n, "transB", 0) != 0;
        double alpha = ScalarFunction.floatAttribute(n, "alpha", 1.0);
        double beta = ScalarFunction.floatAttribute(n, "beta", 1.0);
        if (b.rank() != 2) {
            throw ImportException.at(name, "Gemm", "weights of shape " + b + ": expected a matrix");
        }
        int inputs = (int) (transB ? b.dims()[1] : b.dims()[0]);
        int outputs = (int) (transB ? b.dims()[0] : b.dims()[1]);
        requireInputs(name, "Gemm", inputs);
        float[] rows = rows(b, transB, alpha);
        float[] bias = new float[outputs];
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            Tensor c = constant(n, 2, name, "bias (C)");
            if (c.size() != outputs && c.size() != 1) {
                throw ImportException.at(name, "Gemm", "bias (C) of shape " + c + " for " + outputs + " outputs");
            }
            for (int o = 0; o < outputs; o++) {
                bias[o] = (float) (beta * c.values()[c.size() == 1 ? 0 : o]);
            }
        }
        builder.dense(name, "Gemm", outputs, rows, bias);
    }

    private void matMul(NodeProto n, String name) {
        requireFlat(n, name);
        if (constants.containsKey(n.getInput(0))) {
            throw ImportException.at(name, "MatMul", "multiplies a constant by the activation: edgeml imports x * W");
        }
        Tensor b = constant(n, 1, name, "weights");
        if (b.rank() != 2) {
            throw ImportException.at(name, "MatMul", "weights of shape " + b + ": expected a matrix [inputs, outputs]");
        }
        requireInputs(name, "MatMul", (int) b.dims()[0]);
        builder.dense(name, "MatMul", (int) b.dims()[1], rows(b, false, 1.0), new float[(int) b.dims()[1]]);
    }

    /** Weights as rows of inputs, one per output: {@code B^T} (or {@code B} when already transposed), times alpha. */
    private static float[] rows(Tensor b, boolean transposed, double alpha) {
        int r = (int) b.dims()[0];
        int c = (int) b.dims()[1];
        float[] rows = new float[r * c];
        double[] v = b.values();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                if (transposed) {
                    rows[i * c + j] = (float) (alpha * v[i * c + j]);
                } else {
                    rows[j * r + i] = (float) (alpha * v[i * c + j]);
                }
            }
        }
        return rows;
    }

    /** Add, Sub, Mul or Div by a per-channel (or per-output) constant. */
    private void channelAffine(NodeProto n, String name) {
        String op = n.getOpType();
        boolean constantFirst = constants.containsKey(n.getInput(0));
        Tensor t = constants.get(n.getInput(constantFirst ? 0 : 1));
        double[] c = channelVector(t, name, op);
        double[] a = new double[c.length];
        double[] b = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            switch (op) {
                case "Add" -> { a[i] = 1; b[i] = c[i]; }
                case "Sub" -> { a[i] = constantFirst ? -1 : 1; b[i] = constantFirst ? c[i] : -c[i]; }
                case "Mul" -> { a[i] = c[i]; b[i] = 0; }
                default -> {
                    if (constantFirst) {
                        throw ImportException.at(name, op, "divides a constant by the activation: edgeml folds x / c only");
                    }
                    a[i] = 1 / c[i];
                    b[i] = 0;
                }
            }
        }
        builder.affine(name, op, a, b);
    }

    private void batchNorm(NodeProto n, String name) {
        if (longAttribute(n, "training_mode", 0) != 0) {
            throw ImportException.at(name, "BatchNormalization", "is in training mode: export the model in eval mode");
        }
        double eps = ScalarFunction.floatAttribute(n, "epsilon", 1e-5);
        double[] gamma = constant(n, 1, name, "scale").values();
        double[] beta = constant(n, 2, name, "bias").values();
        double[] mean = constant(n, 3, name, "mean").values();
        double[] var = constant(n, 4, name, "variance").values();
        int c = gamma.length;
        if (beta.length != c || mean.length != c || var.length != c) {
            throw ImportException.at(name, "BatchNormalization", "scale, bias, mean and variance differ in length");
        }
        double[] a = new double[c];
        double[] b = new double[c];
        for (int i = 0; i < c; i++) {
            a[i] = gamma[i] / Math.sqrt(var[i] + eps);
            b[i] = beta[i] - mean[i] * a[i];
        }
        builder.affine(name, "BatchNormalization", a, b);
    }

    /** The per-channel values of a constant broadcast against the activation (one value per channel, or one). */
    private double[] channelVector(Tensor t, String name, String op) {
        long[] d = t.dims();
        int nonUnit = 0;
        int axisFromEnd = -1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 1) {
                nonUnit++;
                axisFromEnd = d.length - 1 - i;
            }
        }
        if (nonUnit == 0) {
            return new double[] {t.values()[0]};
        }
        // the channel axis counted from the end: 0 when flat or NHWC, 2 in NCHW
        int channelAxis = builder.isFlat() || channelsLast ? 0 : 2;
        if (nonUnit == 1 && axisFromEnd == channelAxis) {
            return t.values();
        }
        throw ImportException.at(name, op, "by a constant of shape " + t + ": edgeml folds constants that are one value"
                + " or one per channel (e.g. [1, C, 1, 1] on NCHW)");
    }

    // --- windows ----------------------------------------------------------------------------------------

    private void pad(NodeProto n, String name) {
        requireNchw(name, "Pad");
        String mode = ScalarFunction.stringAttribute(n, "mode", "constant");
        long[] pads = n.getInputCount() > 1 ? constant(n, 1, name, "pads").longs() : longs(n, "pads");
        double value = 0;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            value = constant(n, 2, name, "value").values()[0];
        } else {
            value = ScalarFunction.floatAttribute(n, "value", 0.0);
        }
        if (!mode.equals("constant") || value != 0 || pads == null || pads.length != 8
                || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            throw ImportException.at(name, "Pad", "mode " + mode + " value " + value + " pads " + java.util.Arrays.toString(pads)
                    + ": edgeml folds a zero Pad of H and W into the conv or pool after it");
        }
        for (NodeProto next : graph.getNodeList()) {
            if (next.getInputCount() > 0 && next.getInput(0).equals(n.getOutput(0))
                    && !(next.getOpType().equals("Conv") || next.getOpType().equals("AveragePool") || next.getOpType().equals("MaxPool"))) {
                throw ImportException.at(name, "Pad", "is followed by " + next.getOpType() + ": edgeml folds a zero Pad into"
                        + " the conv or pool after it only");
            }
        }
        int[] p = {(int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7]};
        pendingPad = pendingPad == null ? p : new int[] {pendingPad[0] + p[0], pendingPad[1] + p[1], pendingPad[2] + p[2], pendingPad[3] + p[3]};
    }

    /**
     * The edgeml window (TensorFlow same or valid padding) that reads exactly the input positions the ONNX
     * node reads, with its pads (and a zero Pad before it) and its output size; refused when there is none.
     */
    private Window window(NodeProto n, String name, Shape in, int kh, int kw, boolean conv) {
        String op = n.getOpType();
        long[] strides = longs(n, "strides");
        long[] dilations = longs(n, "dilations");
        long[] pads = longs(n, "pads");
        String autoPad = ScalarFunction.stringAttribute(n, "auto_pad", "NOTSET");
        boolean ceil = longAttribute(n, "ceil_mode", 0) != 0;
        int sh = strides == null ? 1 : (int) strides[0];
        int sw = strides == null ? 1 : (int) strides[1];
        if (dilations != null && (dilations[0] != 1 || dilations[1] != 1)) {
            throw ImportException.at(name, op, "dilations " + java.util.Arrays.toString(dilations) + ": edgeml supports dilation 1");
        }
        int[] p = new int[4];
        if (pads != null) {
            for (int i = 0; i < 4; i++) {
                p[i] = (int) pads[i];
            }
        }
        if (pendingPad != null) {
            for (int i = 0; i < 4; i++) {
                p[i] += pendingPad[i];
            }
            pendingPad = null;
        }
        int outH;
        int outW;
        int beforeH;
        int beforeW;
        switch (autoPad) {
            case "VALID" -> {
                outH = (in.height() - kh) / sh + 1;
                outW = (in.width() - kw) / sw + 1;
                beforeH = 0;
                beforeW = 0;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                outH = (in.height() + sh - 1) / sh;
                outW = (in.width() + sw - 1) / sw;
                int th = Math.max((outH - 1) * sh + kh - in.height(), 0);
                int tw = Math.max((outW - 1) * sw + kw - in.width(), 0);
                beforeH = autoPad.equals("SAME_UPPER") ? th / 2 : th - th / 2;
                beforeW = autoPad.equals("SAME_UPPER") ? tw / 2 : tw - tw / 2;
            }
            default -> {
                outH = side(in.height() + p[0] + p[2] - kh, sh, ceil);
                outW = side(in.width() + p[1] + p[3] - kw, sw, ceil);
                beforeH = p[0];
                beforeW = p[1];
            }
        }
        for (org.edgeml.core.model.Padding padding : org.edgeml.core.model.Padding.values()) {
            if (padding == org.edgeml.core.model.Padding.VALID && (kh > in.height() || kw > in.width())) {
                continue;
            }
            Window w = new Window(in, kh, kw, sh, sw, padding);
            if (w.outputHeight() == outH && w.outputWidth() == outW && w.padTop() == beforeH && w.padLeft() == beforeW) {
                return w;
            }
        }
        throw ImportException.at(name, op, "kernel " + kh + "x" + kw + " stride " + sh + "x" + sw + " pads "
                + java.util.Arrays.toString(p) + (ceil ? " ceil_mode" : "") + " over " + in + " gives " + outH + "x" + outW
                + " with padding " + beforeH + "," + beforeW + " before: edgeml's windows use TensorFlow's same or valid"
                + " padding (for stride 1, pad (k-1)/2 on each side is same; for stride 2 on an even size, pad 0 before and 1 after: in PyTorch nn.ZeroPad2d((0, 1, 0, 1)) then padding=0)");
    }

    private static int side(int span, int stride, boolean ceil) {
        return (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private void requireSpatial(NodeProto n, String name) {
        if (builder.isFlat()) {
            throw ImportException.at(name, n.getOpType(), "runs on flat values: edgeml's convolutions and pools take"
                    + " H x W x C feature maps");
        }
    }

    private void requireFlat(NodeProto n, String name) {
        if (!builder.isFlat()) {
            throw ImportException.at(name, n.getOpType(), "runs on an unflattened " + builder.shape()
                    + " feature map: flatten before the dense layers (torch.flatten(x, 1))");
        }
    }

    private void requireInputs(String name, String op, int inputs) {
        if (inputs != builder.flatSize()) {
            throw ImportException.at(name, op, "weights for " + inputs + " inputs, but the layer before gives "
                    + builder.flatSize() + " values");
        }
    }

    private Tensor constant(NodeProto n, int index, String name, String what) {
        Tensor t = index < n.getInputCount() ? constants.get(n.getInput(index)) : null;
        if (t == null) {
            throw ImportException.at(name, n.getOpType(), "its " + what + " is not a constant: edgeml imports trained"
                    + " weights stored in the file (initializers or Constant nodes)");
        }
        return t;
    }

    private static Tensor constantOf(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    return Tensor.of(a.getT(), name, "Constant");
                }
                case "value_float" -> {
                    return Tensor.scalar(a.getF());
                }
                case "value_int" -> {
                    return Tensor.scalar(a.getI());
                }
                default -> { }
            }
        }
        throw ImportException.at(name, "Constant", "holds no tensor, float or int value edgeml reads");
    }

    private static long[] longs(NodeProto n, String attribute) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(attribute)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }

    private static long longAttribute(NodeProto n, String attribute, long fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(attribute)) {
                return a.getI();
            }
        }
        return fallback;
    }

    private static String describe(List<Long> dims) {
        List<String> s = new ArrayList<>();
        for (long d : dims) {
            s.add(d > 0 ? Long.toString(d) : "?");
        }
        return "[" + String.join(", ", s) + "]";
    }

    private static String names(List<ValueInfoProto> values) {
        List<String> s = new ArrayList<>();
        for (ValueInfoProto v : values) {
            s.add(v.getName());
        }
        return String.join(", ", s);
    }
}
