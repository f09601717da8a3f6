package org.edgeml.core.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Writes a {@link Q8Model} in the chunked format of {@code docs/model-format.md}. */
final class Q8Encoder {
    private final ByteArrayOutputStream file = new ByteArrayOutputStream();

    private Q8Encoder() {}

    static byte[] encode(Q8Model model) {
        Q8Encoder e = new Q8Encoder();
        e.file.writeBytes(Q8ModelFile.MAGIC);
        Payload header = new Payload();
        int version = Q8ModelFile.version(model);
        header.u16(version);
        header.u16(0);
        e.file.writeBytes(header.toByteArray());
        e.chunk("INFO", info(model.info()));
        e.chunk("INPT", input(model.input(), version));
        for (FeatureLayer layer : model.features()) {
            e.feature(layer);
        }
        for (QuantizedDense layer : model.layers()) {
            e.chunk("DENS", dense(layer, version));
        }
        e.chunk("GOLD", goldens(model));
        byte[] body = e.file.toByteArray();
        Payload digest = new Payload();
        digest.writeBytes(Q8ModelFile.sha256(body, body.length));
        e.chunk("DGST", digest);
        return e.file.toByteArray();
    }

    private void chunk(String type, Payload payload) {
        Payload header = new Payload();
        header.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
        header.u32(payload.size());
        file.writeBytes(header.toByteArray());
        file.writeBytes(payload.toByteArray());
    }

    private static Payload info(ModelInfo info) {
        Payload p = new Payload();
        p.str16("name", info.name());
        p.str16("dataset", info.dataset());
        p.str16("createdAt", info.createdAt());
        p.f64(info.floatAccuracy());
        p.f64(info.int8Accuracy());
        p.u16(info.labels().size());
        for (String label : info.labels()) {
            p.str16("label", label);
        }
        p.u16(info.properties().size());
        for (Map.Entry<String, String> e : new TreeMap<>(info.properties()).entrySet()) {
            p.str16("property key", e.getKey());
            p.str32(e.getValue());
        }
        return p;
    }

    private static Payload input(InputQuantization in, int version) {
        Payload p = new Payload();
        p.u16(in.height());
        p.u16(in.width());
        p.write(in.invert() ? 1 : 0);
        p.f64(in.normScale());
        p.f64(in.normOffset());
        p.f32(in.scale());
        p.write(in.zeroPoint());
        if (version >= Q8ModelFile.COLOUR_VERSION) {
            p.write(in.channels());
            p.write(1); // one normalization (normScale, normOffset) for every channel
        }
        return p;
    }

    private static Payload dense(QuantizedDense d, int version) {
        Payload p = new Payload();
        p.u32(d.inputs());
        p.u32(d.outputs());
        if (version >= Q8ModelFile.COLOUR_VERSION) {
            p.write(d.pieces());
        }
        requantizationHead(p, d.input(), d.requantization());
        channels(p, d.weightScales(), d.bias(), d.weights(), d.requantization());
        return p;
    }

    private void feature(FeatureLayer layer) {
        Payload p = new Payload();
        String type;
        if (layer instanceof QuantizedConv2D c) {
            type = "CONV";
            window(p, c.window());
            p.u32(c.outputChannels());
            requantizationHead(p, c.input(), c.requantization());
            channels(p, c.weightScales(), c.bias(), c.weights(), c.requantization());
        } else if (layer instanceof QuantizedDepthwiseConv2D c) {
            type = "DWCV";
            window(p, c.window());
            requantizationHead(p, c.input(), c.requantization());
            channels(p, c.weightScales(), c.bias(), c.weights(), c.requantization());
        } else if (layer instanceof MaxPool2D pool) {
            type = "MAXP";
            window(p, pool.window());
            quant(p, pool.quant());
        } else if (layer instanceof AveragePool2D pool) {
            type = "AVGP";
            window(p, pool.window());
            quant(p, pool.quant());
        } else if (layer instanceof GlobalAveragePool pool) {
            type = "GAVP";
            shape(p, pool.inputShape());
            quant(p, pool.quant());
        } else {
            Flatten flatten = (Flatten) layer;
            type = "FLAT";
            shape(p, flatten.inputShape());
            quant(p, flatten.quant());
        }
        chunk(type, p);
    }

    private static void shape(Payload p, Shape s) {
        p.u16(s.height());
        p.u16(s.width());
        p.u32(s.channels());
    }

    private static void window(Payload p, Window w) {
        shape(p, w.input());
        p.write(w.kernelHeight());
        p.write(w.kernelWidth());
        p.write(w.strideHeight());
        p.write(w.strideWidth());
        p.write(w.padding().code);
    }

    private static void quant(Payload p, QuantParams q) {
        p.f32(q.scale());
        p.write(q.zeroPoint());
    }

    /** activation, input, pre-activation and output quantization, clamp: the fields DENS, CONV and DWCV share. */
    private static void requantizationHead(Payload p, QuantParams input, Requantization r) {
        p.write(r.activation().code);
        quant(p, input);
        quant(p, r.preActivation());
        quant(p, r.output());
        p.write(r.clampMin());
        p.write(r.clampMax());
    }

    /** The per-channel arrays, the weights and the lookup table, in the order DENS, CONV and DWCV share. */
    private static void channels(Payload p, float[] weightScales, int[] bias, byte[] weights, Requantization r) {
        for (float s : weightScales) {
            p.f32(s);
        }
        for (int b : bias) {
            p.u32(b);
        }
        for (int m : r.multiplier()) {
            p.u32(m);
        }
        for (int s : r.shift()) {
            p.write(s);
        }
        p.writeBytes(weights);
        if (r.lookupTable() != null) {
            p.writeBytes(r.lookupTable());
        }
    }

    private static Payload goldens(Q8Model model) {
        Payload p = new Payload();
        p.u32(model.goldens().size());
        for (GoldenVector g : model.goldens()) {
            p.writeBytes(g.input());
            p.writeBytes(g.output());
        }
        return p;
    }

    /** A little-endian byte sink. */
    private static final class Payload extends ByteArrayOutputStream {
        void u16(int v) {
            write(v);
            write(v >>> 8);
        }

        void u32(int v) {
            u16(v);
            u16(v >>> 16);
        }

        void f32(float v) {
            u32(Float.floatToIntBits(v));
        }

        void f64(double v) {
            long bits = Double.doubleToLongBits(v);
            u32((int) bits);
            u32((int) (bits >>> 32));
        }

        void str16(String what, String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFFFF) {
                throw new IllegalArgumentException(what + " is " + utf8.length + " UTF-8 bytes; at most 65535 fit a model file");
            }
            u16(utf8.length);
            writeBytes(utf8);
        }

        void str32(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u32(utf8.length);
            writeBytes(utf8);
        }
    }
}
