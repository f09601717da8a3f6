package org.edgeml.trainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.DenseLayer;

/**
 * Parses {@code --layers}: layers separated by commas, each a kind with options separated by colons
 * (the grammar and defaults are in docs/training.md), for example
 * {@code conv3x3:32,bn,maxpool2,conv3x3:64,bn,maxpool2,dense:128,dropout:0.3}. The output layer (one
 * unit per class, softmax) is not part of the spec. Every error is one line naming the bad token.
 */
public final class LayerSpecParser {
    /** The kinds and their syntax, as errors and help list them. */
    public static final String KINDS = "conv<K>[x<K>]:<filters>, dwconv<K>[x<K>], maxpool<K>, avgpool<K>, gap, flatten, "
            + "dense:<units>, maxout:<units>:<pieces>, dropout:<p>, bn";
    static final int MAX_UNITS = 65_536;

    private static final Pattern WINDOWED = Pattern.compile("(conv|dwconv|maxpool|avgpool)(\\d+)(?:x(\\d+))?");
    private static final Pattern STRIDE = Pattern.compile("s(\\d+)(?:x(\\d+))?");
    private static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "tanh", "sigmoid", "elu", "gelu", "identity");

    private LayerSpecParser() {}

    /**
     * @param activation the activation of conv, dwconv and dense layers that do not name one
     */
    public static List<LayerSpec> parse(String spec, Activation activation) {
        if (spec == null || spec.isBlank()) {
            throw new EdgemlException("--layers is empty: give layers separated by commas, e.g. "
                    + Architecture.CNN.preset + " (kinds: " + KINDS + ")");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (String token : spec.split(",", -1)) {
            layers.add(parseLayer(token.trim(), activation));
        }
        checkOrder(layers);
        return List.copyOf(layers);
    }

    /** The spec as text, every option spelled out. */
    public static String text(List<LayerSpec> layers) {
        return String.join(",", layers.stream().map(LayerSpec::text).toList());
    }

    private static LayerSpec parseLayer(String token, Activation defaultActivation) {
        if (token.isEmpty()) {
            throw new EdgemlException("--layers has an empty layer (two commas in a row, or one at an end): remove it");
        }
        String[] parts = token.toLowerCase(Locale.ROOT).split(":", -1);
        String kind = parts[0];
        List<String> options = Arrays.asList(parts).subList(1, parts.length);
        Matcher windowed = WINDOWED.matcher(kind);
        if (windowed.matches()) {
            return parseWindowed(token, windowed, options, defaultActivation);
        }
        return switch (kind) {
            case "gap" -> noOptions(token, options, new LayerSpec.GlobalAveragePool());
            case "flatten" -> noOptions(token, options, new LayerSpec.Flatten());
            case "bn" -> noOptions(token, options, new LayerSpec.BatchNorm());
            case "dense" -> {
                requireCount(token, options, 1, 2, "dense:<units>[:<activation>]");
                yield new LayerSpec.Dense(positive(token, options.get(0), "units", MAX_UNITS),
                        options.size() == 2 ? activation(token, options.get(1)) : defaultActivation);
            }
            case "maxout" -> {
                requireCount(token, options, 2, 2, "maxout:<units>:<pieces>");
                int pieces = positive(token, options.get(1), "pieces", DenseLayer.MAX_PIECES);
                if (pieces < 2) {
                    throw bad(token, "a maxout unit needs 2.." + DenseLayer.MAX_PIECES
                            + " pieces (1 piece is dense:<units>:identity)");
                }
                yield new LayerSpec.Maxout(positive(token, options.get(0), "units", MAX_UNITS), pieces);
            }
            case "dropout" -> {
                requireCount(token, options, 1, 1, "dropout:<p>");
                double rate;
                try {
                    rate = Double.parseDouble(options.get(0));
                } catch (NumberFormatException e) {
                    rate = Double.NaN;
                }
                if (!(rate > 0 && rate < 1)) {
                    throw bad(token, "the dropout rate is the probability of dropping a value: use above 0 and below 1, e.g. dropout:0.3");
                }
                yield new LayerSpec.Dropout(rate);
            }
            default -> throw new EdgemlException("--layers: '" + token + "' is not a layer kind: use " + KINDS
                    + " (docs/training.md)");
        };
    }

    private static LayerSpec parseWindowed(String token, Matcher windowed, List<String> options, Activation defaultActivation) {
        String kind = windowed.group(1);
        int kh = positive(token, windowed.group(2), "kernel", Window.MAX_KERNEL);
        int kw = windowed.group(3) == null ? kh : positive(token, windowed.group(3), "kernel", Window.MAX_KERNEL);
        boolean pool = kind.endsWith("pool");
        List<String> rest = options;
        int filters = 0;
        if (kind.equals("conv")) {
            if (rest.isEmpty()) {
                throw bad(token, "a convolution needs its filter count: conv" + kh + "x" + kw + ":<filters>, e.g. conv3x3:32");
            }
            filters = positive(token, rest.get(0), "filters", Shape.MAX_CHANNELS);
            rest = rest.subList(1, rest.size());
        }
        int sh = pool ? kh : 1;
        int sw = pool ? kw : 1;
        Padding padding = Padding.VALID;
        Activation activation = defaultActivation;
        boolean strideSeen = false;
        boolean paddingSeen = false;
        boolean activationSeen = false;
        for (String option : rest) {
            Matcher stride = STRIDE.matcher(option);
            if (stride.matches() && !strideSeen) {
                sh = positive(token, stride.group(1), "stride", Window.MAX_STRIDE);
                sw = stride.group(2) == null ? sh : positive(token, stride.group(2), "stride", Window.MAX_STRIDE);
                strideSeen = true;
            } else if ((option.equals("same") || option.equals("valid")) && !paddingSeen) {
                padding = option.equals("same") ? Padding.SAME : Padding.VALID;
                paddingSeen = true;
            } else if (!pool && ACTIVATIONS.contains(option) && !activationSeen) {
                activation = Activation.parse(option);
                activationSeen = true;
            } else {
                throw bad(token, "'" + option + "' is not an option here: " + kind + " takes s<stride>, same or valid"
                        + (pool ? "" : ", and an activation (" + String.join(", ", ACTIVATIONS) + ")") + ", each once");
            }
        }
        return switch (kind) {
            case "conv" -> new LayerSpec.Conv(kh, kw, filters, sh, sw, padding, activation);
            case "dwconv" -> new LayerSpec.DepthwiseConv(kh, kw, sh, sw, padding, activation);
            default -> new LayerSpec.Pool(kind.equals("maxpool"), kh, kw, sh, sw, padding);
        };
    }

    /** Spatial layers come first; bn follows a conv, dwconv or dense layer directly, once. */
    private static void checkOrder(List<LayerSpec> layers) {
        boolean flat = false;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            LayerSpec previous = i == 0 ? null : layers.get(i - 1);
            if (layer instanceof LayerSpec.Spatial && flat) {
                throw new EdgemlException("--layers: '" + layer.text() + "' (layer " + (i + 1) + ") works on images but comes after "
                        + "a flatten, gap, dense or maxout layer: put convolutions and pools first");
            }
            if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.GlobalAveragePool) {
                if (flat) {
                    throw new EdgemlException("--layers: '" + layer.text() + "' (layer " + (i + 1) + ") comes after the image "
                            + "is already flat: keep one flatten or gap, after the convolutions and pools");
                }
            }
            if (layer instanceof LayerSpec.BatchNorm && !(previous instanceof LayerSpec.Linear)) {
                throw new EdgemlException("--layers: 'bn' (layer " + (i + 1) + ") must directly follow a conv, dwconv or dense "
                        + "layer, which it is folded into when the model is written");
            }
            flat |= !(layer instanceof LayerSpec.Spatial || layer instanceof LayerSpec.Dropout || layer instanceof LayerSpec.BatchNorm);
        }
    }

    private static LayerSpec noOptions(String token, List<String> options, LayerSpec layer) {
        if (!options.isEmpty()) {
            throw bad(token, layer.text() + " takes no options");
        }
        return layer;
    }

    private static void requireCount(String token, List<String> options, int min, int max, String syntax) {
        if (options.size() < min || options.size() > max) {
            throw bad(token, "write " + syntax);
        }
    }

    private static int positive(String token, String value, String what, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > max) {
            throw bad(token, what + " '" + value + "' must be a whole number from 1 to " + max);
        }
        return n;
    }

    private static Activation activation(String token, String name) {
        if (!ACTIVATIONS.contains(name)) {
            throw bad(token, "unknown activation '" + name + "': use " + String.join(", ", ACTIVATIONS));
        }
        return Activation.parse(name);
    }

    private static EdgemlException bad(String token, String problem) {
        return new EdgemlException("--layers: bad layer '" + token + "': " + problem);
    }
}
