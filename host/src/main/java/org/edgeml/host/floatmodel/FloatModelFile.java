package org.edgeml.host.floatmodel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * Reads and writes the float model file (docs/float-model-format.md): a ZIP holding {@code model.json}
 * (architecture, input normalization, labels, training facts), each layer's weights and bias as
 * little-endian float32 ({@code layers/N/weights.f32}, {@code layers/N/bias.f32}, N counting feature
 * layers first, then dense layers),
 * and optionally {@code dl4j/network.zip}, the DL4J model as the trainer saved it. Reading needs no DL4J.
 */
public final class FloatModelFile {
    public static final String FORMAT = "edgeml-float-model";
    /** The version written for models that version 1 cannot hold (feature layers, maxout, colour input). */
    public static final int VERSION = 2;
    /** The version written for dense-only grey models, so older edgeml releases still read them. */
    public static final int DENSE_VERSION = 1;
    public static final String MODEL_JSON = "model.json";
    public static final String DL4J_ENTRY = "dl4j/network.zip";

    private static final long MAX_JSON_BYTES = 16L << 20;
    /** The feature layer types of model.json, in the order docs/float-model-format.md lists them. */
    public static final List<String> FEATURE_TYPES = List.of("conv2d", "depthwise_conv2d", "max_pool", "average_pool",
            "global_average_pool", "flatten");

    private FloatModelFile() {}

    public static String weightsEntry(int layer) {
        return "layers/" + layer + "/weights.f32";
    }

    public static String biasEntry(int layer) {
        return "layers/" + layer + "/bias.f32";
    }

    /** Writes the model atomically; {@code dl4jNetwork} (DL4J ModelSerializer bytes) may be null. */
    public static void write(FloatModel model, Path file, byte[] dl4jNetwork) {
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                putEntry(zip, MODEL_JSON, Json.pretty(describe(model)).getBytes(StandardCharsets.UTF_8));
                int n = 0;
                for (FloatFeatureLayer layer : model.features()) {
                    float[][] parameters = parameters(layer);
                    if (parameters != null) {
                        putEntry(zip, weightsEntry(n), toBytes(parameters[0]));
                        putEntry(zip, biasEntry(n), toBytes(parameters[1]));
                    }
                    n++;
                }
                for (DenseLayer layer : model.layers()) {
                    putEntry(zip, weightsEntry(n), toBytes(layer.weights()));
                    putEntry(zip, biasEntry(n), toBytes(layer.bias()));
                    n++;
                }
                if (dl4jNetwork != null) {
                    putEntry(zip, DL4J_ENTRY, dl4jNetwork);
                }
                zip.finish();
            });
        } catch (IOException e) {
            throw new EdgemlException("cannot write model file " + file + ": " + e.getMessage()
                    + " (check that the directory is writable)", e);
        }
    }

    public static FloatModel read(Path file) {
        if (Q8ModelFile.hasMagic(file)) {
            throw new EdgemlException("model file " + file + ": this is an int8 model, not a float model:"
                    + " give the float .zip that 'edgeml train --out' wrote");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new Reader(file, zip).model();
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new EdgemlException("model file " + file + " does not exist (train one with 'edgeml train --out "
                    + file + "')", e);
        } catch (ZipException e) {
            throw bad(file, "is not a ZIP archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new EdgemlException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The DL4J network bytes stored in the file, if the trainer stored them. */
    public static Optional<byte[]> readDl4jNetwork(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(DL4J_ENTRY);
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Optional.of(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new EdgemlException("cannot read the DL4J network from " + file + ": " + e.getMessage(), e);
        }
    }

    /** The version a model is written in: 1 when version 1 can hold it, else {@link #VERSION}. */
    static int versionFor(FloatModel model) {
        boolean plain = model.isDenseOnly() && model.input().channels() == 1
                && model.layers().stream().noneMatch(DenseLayer::isMaxout);
        return plain ? DENSE_VERSION : VERSION;
    }

    private static float[][] parameters(FloatFeatureLayer layer) {
        if (layer instanceof Conv2DLayer c) {
            return new float[][] {c.weights(), c.bias()};
        }
        if (layer instanceof DepthwiseConv2DLayer d) {
            return new float[][] {d.weights(), d.bias()};
        }
        return null;
    }

    private static Map<String, Object> describe(FloatModel model) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", versionFor(model));
        InputSpec in = model.input();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("height", in.height());
        input.put("width", in.width());
        input.put("channels", in.channels());
        input.put("invert", in.invert());
        input.put("scale", in.scale());
        input.put("offset", in.offset());
        json.put("input", input);
        json.put("labels", model.labels());
        List<Object> layers = new ArrayList<>();
        int n = 0;
        for (FloatFeatureLayer layer : model.features()) {
            layers.add(describe(layer, n++));
        }
        for (DenseLayer layer : model.layers()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("type", "dense");
            l.put("inputs", layer.inputs());
            l.put("outputs", layer.outputs());
            if (layer.isMaxout()) {
                l.put("pieces", layer.pieces());
            }
            l.put("activation", layer.activation().cliName());
            l.put("weights", weightsEntry(n));
            l.put("bias", biasEntry(n));
            layers.add(l);
            n++;
        }
        json.put("layers", layers);
        json.put("training", model.metadata());
        return json;
    }

    private static Map<String, Object> describe(FloatFeatureLayer layer, int n) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("type", layer.kind());
        if (layer instanceof Conv2DLayer c) {
            putWindow(l, c.window());
            l.put("filters", c.filters());
            l.put("activation", c.activation().cliName());
        } else if (layer instanceof DepthwiseConv2DLayer d) {
            putWindow(l, d.window());
            l.put("activation", d.activation().cliName());
        } else if (layer instanceof MaxPoolLayer p) {
            putWindow(l, p.window());
        } else if (layer instanceof AveragePoolLayer p) {
            putWindow(l, p.window());
        }
        if (parameters(layer) != null) {
            l.put("weights", weightsEntry(n));
            l.put("bias", biasEntry(n));
        }
        return l;
    }

    private static void putWindow(Map<String, Object> l, Window window) {
        l.put("kernel", List.of(window.kernelHeight(), window.kernelWidth()));
        l.put("stride", List.of(window.strideHeight(), window.strideWidth()));
        l.put("padding", window.padding().name().toLowerCase(Locale.ROOT));
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] toBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static EdgemlException bad(Path file, String problem) {
        return new EdgemlException("model file " + file + " " + problem
                + " (write it again with 'edgeml train --out " + file.getFileName() + "')");
    }

    /** Validates model.json field by field, so each error names what is wrong. */
    private record Reader(Path file, ZipFile zip) {

        FloatModel model() throws IOException {
            Map<String, Object> json;
            try {
                json = Json.parseObject(new String(entry(MODEL_JSON, -1), StandardCharsets.UTF_8));
            } catch (Json.JsonException e) {
                throw bad(file, "has a malformed " + MODEL_JSON + ": " + e.getMessage());
            }
            Object format = json.get("format");
            if (!FORMAT.equals(format)) {
                throw bad(file, "is not an edgeml float model (" + MODEL_JSON + " format is " + quoted(format)
                        + ", expected \"" + FORMAT + "\")");
            }
            long version = integer(json, "version", MODEL_JSON);
            if (version != DENSE_VERSION && version != VERSION) {
                throw bad(file, "has format version " + version + "; this edgeml reads versions " + DENSE_VERSION
                        + " and " + VERSION + " (a newer edgeml wrote it: update edgeml)");
            }
            InputSpec input = input(object(json, "input", MODEL_JSON));
            List<String> labels = strings(list(json, "labels", MODEL_JSON), "labels");
            List<Object> layerList = list(json, "layers", MODEL_JSON);
            List<FloatFeatureLayer> features = new ArrayList<>();
            List<DenseLayer> layers = new ArrayList<>();
            Shape shape = input.shape();
            for (int i = 0; i < layerList.size(); i++) {
                if (!(layerList.get(i) instanceof Map<?, ?> m)) {
                    throw bad(file, "has layers[" + i + "] that is not a JSON object");
                }
                Map<String, Object> l = cast(m);
                String where = "layers[" + i + "]";
                Object type = l.get("type");
                if ("dense".equals(type)) {
                    layers.add(layer(i, l, version));
                } else if (version == DENSE_VERSION) {
                    throw bad(file, "has " + where + " of type " + quoted(type) + "; version 1 files hold only \"dense\" layers");
                } else if (!layers.isEmpty()) {
                    throw bad(file, "has " + where + " of type " + quoted(type) + " after a dense layer; feature layers"
                            + " (" + String.join(", ", FEATURE_TYPES) + ") come before the dense layers");
                } else {
                    FloatFeatureLayer layer = feature(i, l, shape);
                    features.add(layer);
                    shape = layer.outputShape();
                }
            }
            Object training = json.getOrDefault("training", Map.of());
            if (!(training instanceof Map<?, ?> metadata)) {
                throw bad(file, "has a \"training\" field that is not a JSON object");
            }
            try {
                return new FloatModel(input, features, layers, labels, withoutNulls(cast(metadata)));
            } catch (IllegalArgumentException e) {
                throw bad(file, "is inconsistent: " + e.getMessage());
            }
        }

        private InputSpec input(Map<String, Object> in) {
            String where = "input";
            try {
                return new InputSpec(Math.toIntExact(integer(in, "height", where)), Math.toIntExact(integer(in, "width", where)),
                        Math.toIntExact(integer(in, "channels", where)), bool(in, "invert", where),
                        number(in, "scale", where), number(in, "offset", where));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw bad(file, "has an invalid input spec: " + e.getMessage());
            }
        }

        private DenseLayer layer(int index, Map<String, Object> l, long version) throws IOException {
            String where = "layers[" + index + "]";
            long inputs = integer(l, "inputs", where);
            long outputs = integer(l, "outputs", where);
            long pieces = l.containsKey("pieces") && version != DENSE_VERSION ? integer(l, "pieces", where) : 1;
            if (pieces < 1 || pieces > DenseLayer.MAX_PIECES) {
                throw bad(file, "has " + where + " with " + pieces + " maxout pieces; a unit has 1.." + DenseLayer.MAX_PIECES);
            }
            if (inputs <= 0 || outputs <= 0 || inputs * outputs * pieces > Integer.MAX_VALUE / 4) {
                throw bad(file, "has " + where + " with an invalid shape " + inputs + "->" + outputs);
            }
            Activation activation = activation(l, where);
            float[] weights = floats(string(l, "weights", where), (int) (inputs * outputs * pieces));
            float[] bias = floats(string(l, "bias", where), (int) (outputs * pieces));
            return new DenseLayer((int) inputs, (int) outputs, activation, weights, bias, (int) pieces);
        }

        private FloatFeatureLayer feature(int index, Map<String, Object> l, Shape shape) throws IOException {
            String where = "layers[" + index + "]";
            String type = string(l, "type", where);
            try {
                return switch (type) {
                    case "conv2d" -> {
                        Window window = window(l, where, shape);
                        long filters = integer(l, "filters", where);
                        if (filters < 1 || filters > Shape.MAX_CHANNELS) {
                            throw bad(file, "has " + where + " with " + filters + " filters; must be 1.." + Shape.MAX_CHANNELS);
                        }
                        long count = filters * window.kernelHeight() * window.kernelWidth() * shape.channels();
                        if (count > Integer.MAX_VALUE / 4) {
                            throw bad(file, "has " + where + " with " + count + " weights, too many");
                        }
                        Activation activation = activation(l, where);
                        yield new Conv2DLayer(window, (int) filters, activation, floats(string(l, "weights", where), (int) count),
                                floats(string(l, "bias", where), (int) filters));
                    }
                    case "depthwise_conv2d" -> {
                        Window window = window(l, where, shape);
                        Activation activation = activation(l, where);
                        int count = window.kernelHeight() * window.kernelWidth() * shape.channels();
                        yield new DepthwiseConv2DLayer(window, activation, floats(string(l, "weights", where), count),
                                floats(string(l, "bias", where), shape.channels()));
                    }
                    case "max_pool" -> new MaxPoolLayer(window(l, where, shape));
                    case "average_pool" -> new AveragePoolLayer(window(l, where, shape));
                    case "global_average_pool" -> new GlobalAveragePoolLayer(shape);
                    case "flatten" -> new FlattenLayer(shape);
                    default -> throw bad(file, "has " + where + " of unknown type \"" + type + "\"; the types are dense, "
                            + String.join(", ", FEATURE_TYPES));
                };
            } catch (IllegalArgumentException e) {
                throw bad(file, "has an invalid " + where + " (" + type + " over " + shape + "): " + e.getMessage());
            }
        }

        private Window window(Map<String, Object> l, String where, Shape shape) {
            long[] kernel = pair(l, "kernel", where);
            long[] stride = pair(l, "stride", where);
            String padding = string(l, "padding", where);
            Padding pad = switch (padding) {
                case "same" -> Padding.SAME;
                case "valid" -> Padding.VALID;
                default -> throw bad(file, "has " + where + " with padding \"" + padding + "\"; use \"same\" or \"valid\"");
            };
            if (kernel[0] < 1 || kernel[1] < 1 || kernel[0] > Window.MAX_KERNEL || kernel[1] > Window.MAX_KERNEL
                    || stride[0] < 1 || stride[1] < 1 || stride[0] > Window.MAX_STRIDE || stride[1] > Window.MAX_STRIDE) {
                throw bad(file, "has " + where + " with kernel " + kernel[0] + "x" + kernel[1] + " and stride " + stride[0] + "x"
                        + stride[1] + "; each side must be 1.." + Window.MAX_KERNEL);
            }
            return new Window(shape, (int) kernel[0], (int) kernel[1], (int) stride[0], (int) stride[1], pad);
        }

        private long[] pair(Map<String, Object> l, String key, String where) {
            List<Object> values = list(l, key, where);
            if (values.size() != 2 || !(values.get(0) instanceof Long a) || !(values.get(1) instanceof Long b)) {
                throw bad(file, "has " + where + " with \"" + key + "\" " + quoted(values)
                        + "; it must be two integers [height, width]");
            }
            return new long[] {a, b};
        }

        private Activation activation(Map<String, Object> l, String where) {
            try {
                return Activation.parse(string(l, "activation", where));
            } catch (IllegalArgumentException e) {
                throw bad(file, "has " + where + " with " + e.getMessage());
            }
        }

        private float[] floats(String name, int count) throws IOException {
            byte[] bytes = entry(name, 4L * count);
            if (bytes.length != 4L * count) {
                throw bad(file, "has entry " + name + " of " + bytes.length + " bytes, expected " + 4L * count
                        + " (" + count + " float32 values)");
            }
            float[] values = new float[count];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            for (int i = 0; i < count; i++) {
                if (!Float.isFinite(values[i])) {
                    throw bad(file, "has a non-finite value (" + values[i] + ") at index " + i + " of " + name);
                }
            }
            return values;
        }

        /** An entry's bytes; at most {@code expected + 1} are read when {@code expected >= 0}, so a wrong size never loads a huge entry. */
        private byte[] entry(String name, long expected) throws IOException {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw bad(file, "has no entry " + name);
            }
            long limit = expected >= 0 ? expected + 1 : MAX_JSON_BYTES + 1;
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] bytes = in.readNBytes((int) limit);
                if (expected < 0 && bytes.length > MAX_JSON_BYTES) {
                    throw bad(file, "has a " + name + " larger than " + (MAX_JSON_BYTES >> 20) + " MB");
                }
                return bytes;
            } catch (ZipException | java.io.EOFException e) {
                throw bad(file, "has a corrupt entry " + name + " (" + e.getMessage() + ")");
            }
        }

        private Object field(Map<String, Object> json, String key, String where) {
            if (!json.containsKey(key) || json.get(key) == null) {
                throw bad(file, "is missing \"" + key + "\" in " + where);
            }
            return json.get(key);
        }

        private long integer(Map<String, Object> json, String key, String where) {
            if (field(json, key, where) instanceof Long n) {
                return n;
            }
            throw bad(file, "has a non-integer \"" + key + "\" in " + where + ": " + quoted(json.get(key)));
        }

        private double number(Map<String, Object> json, String key, String where) {
            if (field(json, key, where) instanceof Number n) {
                return n.doubleValue();
            }
            throw bad(file, "has a non-numeric \"" + key + "\" in " + where + ": " + quoted(json.get(key)));
        }

        private boolean bool(Map<String, Object> json, String key, String where) {
            if (field(json, key, where) instanceof Boolean b) {
                return b;
            }
            throw bad(file, "has a non-boolean \"" + key + "\" in " + where + ": " + quoted(json.get(key)));
        }

        private String string(Map<String, Object> json, String key, String where) {
            if (field(json, key, where) instanceof String s) {
                return s;
            }
            throw bad(file, "has a non-string \"" + key + "\" in " + where + ": " + quoted(json.get(key)));
        }

        private Map<String, Object> object(Map<String, Object> json, String key, String where) {
            if (field(json, key, where) instanceof Map<?, ?> m) {
                return cast(m);
            }
            throw bad(file, "has a \"" + key + "\" in " + where + " that is not a JSON object");
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(Map<String, Object> json, String key, String where) {
            if (field(json, key, where) instanceof List<?> l) {
                return (List<Object>) l;
            }
            throw bad(file, "has a \"" + key + "\" in " + where + " that is not a JSON array");
        }

        private List<String> strings(List<Object> values, String key) {
            List<String> out = new ArrayList<>();
            for (Object v : values) {
                if (!(v instanceof String s)) {
                    throw bad(file, "has a non-string entry " + quoted(v) + " in \"" + key + "\"");
                }
                out.add(s);
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** Map.copyOf in FloatModel refuses null values; JSON nulls in free-form metadata are dropped. */
    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String quoted(Object value) {
        return value == null ? "missing" : Json.write(value);
    }
}
