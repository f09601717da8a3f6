package org.edgeml.bench.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (IR version 7, default-domain opset 13) and encodes it as the ModelProto bytes
 * a runtime loads. Field numbers are those of {@code onnx.proto}; only what edgeml's exports use is
 * here: tensors with raw little-endian data, int/float attributes, and 2-D inputs and outputs whose
 * first dimension is the batch.
 */
final class OnnxGraph {
    static final int IR_VERSION = 7;
    static final int OPSET = 13;

    /** {@code TensorProto.DataType} values. */
    enum DataType {
        FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), INT32(6, 4), INT64(7, 8);

        final int code;
        final int bytes;

        DataType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }
    }

    private final String name;
    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();
    /** Operator domains besides the default one that nodes use (version 1 each), e.g. {@code com.microsoft}. */
    private final java.util.Set<String> domains = new java.util.TreeSet<>();
    private int nodeCount;

    OnnxGraph(String name) {
        this.name = name;
    }

    /** A graph input of shape {@code [batch, width]} with a symbolic batch dimension. */
    OnnxGraph input(String name, DataType type, int width) {
        inputs.add(valueInfo(name, type, width));
        return this;
    }

    OnnxGraph output(String name, DataType type, int width) {
        outputs.add(valueInfo(name, type, width));
        return this;
    }

    /** Adds a node; {@code attributes} are built with {@link #intAttribute} and {@link #floatAttribute}. */
    OnnxGraph node(String opType, List<String> in, String out, Protobuf... attributes) {
        Protobuf node = new Protobuf();
        for (String i : in) {
            node.string(1, i);
        }
        node.string(2, out).string(3, opType + "_" + nodeCount++).string(4, opType);
        for (Protobuf a : attributes) {
            node.message(5, a);
        }
        nodes.add(node);
        return this;
    }

    /** A node of an operator in {@code domain} (version 1), e.g. ONNX Runtime's {@code com.microsoft} contrib ops. */
    OnnxGraph node(String domain, String opType, List<String> in, String out, Protobuf... attributes) {
        node(opType, in, out, attributes);
        nodes.get(nodes.size() - 1).string(7, domain);
        domains.add(domain);
        return this;
    }

    /** An attribute holding a list of ints (AttributeProto type INTS). */
    static Protobuf intsAttribute(String name, long... values) {
        Protobuf a = new Protobuf().string(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, 7);
    }

    static Protobuf intAttribute(String name, long value) {
        return new Protobuf().string(1, name).varint(3, value).varint(20, 2);
    }

    static Protobuf floatAttribute(String name, float value) {
        return new Protobuf().string(1, name).fixed32(2, value).varint(20, 1);
    }

    OnnxGraph floats(String name, float[] values, int... dims) {
        ByteBuffer b = buffer(values.length, DataType.FLOAT);
        for (float v : values) {
            b.putFloat(v);
        }
        return tensor(name, DataType.FLOAT, b.array(), dims);
    }

    OnnxGraph ints(String name, int[] values, int... dims) {
        ByteBuffer b = buffer(values.length, DataType.INT32);
        for (int v : values) {
            b.putInt(v);
        }
        return tensor(name, DataType.INT32, b.array(), dims);
    }

    OnnxGraph longs(String name, long[] values, int... dims) {
        ByteBuffer b = buffer(values.length, DataType.INT64);
        for (long v : values) {
            b.putLong(v);
        }
        return tensor(name, DataType.INT64, b.array(), dims);
    }

    /** int8 or uint8 data, one byte per value. */
    OnnxGraph bytes(String name, DataType type, byte[] values, int... dims) {
        return tensor(name, type, values.clone(), dims);
    }

    private OnnxGraph tensor(String name, DataType type, byte[] raw, int... dims) {
        long count = 1;
        Protobuf t = new Protobuf();
        for (int d : dims) {
            t.varint(1, d);
            count *= d;
        }
        if (count * type.bytes != raw.length) {
            throw new IllegalArgumentException(name + ": " + raw.length + " bytes for " + count + " values");
        }
        t.varint(2, type.code).string(8, name).bytes(9, raw);
        initializers.add(t);
        return this;
    }

    byte[] encode(String producer) {
        Protobuf graph = new Protobuf();
        for (Protobuf n : nodes) {
            graph.message(1, n);
        }
        graph.string(2, name);
        for (Protobuf t : initializers) {
            graph.message(5, t);
        }
        for (Protobuf i : inputs) {
            graph.message(11, i);
        }
        for (Protobuf o : outputs) {
            graph.message(12, o);
        }
        Protobuf model = new Protobuf()
                .varint(1, IR_VERSION)
                .string(2, producer)
                .message(7, graph)
                .message(8, new Protobuf().string(1, "").varint(2, OPSET));
        for (String domain : domains) {
            model.message(8, new Protobuf().string(1, domain).varint(2, 1));
        }
        return model.toByteArray();
    }

    private static Protobuf valueInfo(String name, DataType type, int width) {
        Protobuf shape = new Protobuf()
                .message(1, new Protobuf().string(2, "batch"))
                .message(1, new Protobuf().varint(1, width));
        Protobuf tensorType = new Protobuf().varint(1, type.code).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }

    private static ByteBuffer buffer(int count, DataType type) {
        return ByteBuffer.allocate(count * type.bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
