package org.edgeml.importer.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import onnx.Onnx.TensorProto;
import org.edgeml.importer.ImportException;

/** A constant of the graph (an initializer or a Constant node's value) as doubles, with its dims. */
record Tensor(long[] dims, double[] values) {
    static Tensor of(TensorProto t, String node, String op) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw ImportException.at(node, op, "tensor '" + t.getName() + "' keeps its data in an external file:"
                    + " export the model as one file (onnx.save without save_as_external_data)");
        }
        double[] v = new double[(int) count];
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !t.getRawData().isEmpty();
        switch (t.getDataType()) {
            case 1 -> { // FLOAT
                for (int i = 0; i < count; i++) {
                    v[i] = hasRaw ? raw.getFloat() : t.getFloatData(i);
                }
            }
            case 11 -> { // DOUBLE
                for (int i = 0; i < count; i++) {
                    v[i] = hasRaw ? raw.getDouble() : t.getDoubleData(i);
                }
            }
            case 7 -> { // INT64
                for (int i = 0; i < count; i++) {
                    v[i] = hasRaw ? raw.getLong() : t.getInt64Data(i);
                }
            }
            case 6 -> { // INT32
                for (int i = 0; i < count; i++) {
                    v[i] = hasRaw ? raw.getInt() : t.getInt32Data(i);
                }
            }
            default -> throw ImportException.at(node, op, "tensor '" + t.getName() + "' has ONNX data type "
                    + t.getDataType() + ": edgeml imports float32, float64, int32 and int64 constants");
        }
        return new Tensor(dims, v);
    }

    static Tensor scalar(double value) {
        return new Tensor(new long[0], new double[] {value});
    }

    int size() {
        return values.length;
    }

    int rank() {
        return dims.length;
    }

    float[] floats() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    long[] longs() {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) values[i];
        }
        return l;
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
