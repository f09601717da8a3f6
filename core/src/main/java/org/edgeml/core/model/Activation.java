package org.edgeml.core.model;

import java.util.Locale;

/**
 * The activation functions a dense layer may apply, with their float definitions. The int8 engine
 * applies {@link #RELU} and {@link #IDENTITY} as a clamp and the others through a 256-entry lookup
 * table built from {@link #apply(double)} when the model is quantized.
 *
 * <p>The float definitions match DL4J's (the trainer): leaky ReLU slope 0.01, ELU alpha 1, and GELU in
 * DL4J's default form {@code x * sigmoid(1.702 x)}. {@link #GELU_ERF} (the exact GELU,
 * {@code 0.5 x (1 + erf(x / sqrt 2))}, PyTorch's {@code nn.GELU()}) and {@link #GELU_TANH} (its tanh form,
 * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, {@code nn.GELU(approximate="tanh")}) come with
 * imported models; the trainer does not train with them.
 */
public enum Activation {
    IDENTITY(0),
    RELU(1),
    LEAKYRELU(2),
    TANH(3),
    SIGMOID(4),
    ELU(5),
    GELU(6),
    GELU_ERF(7),
    GELU_TANH(8);

    public static final double LEAKY_SLOPE = 0.01;

    /** The code stored in the model file. */
    public final int code;

    Activation(int code) {
        this.code = code;
    }

    public double apply(double x) {
        return switch (this) {
            case IDENTITY -> x;
            case RELU -> Math.max(0, x);
            case LEAKYRELU -> x >= 0 ? x : LEAKY_SLOPE * x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case ELU -> x >= 0 ? x : Math.expm1(x);
            case GELU -> x / (1 + Math.exp(-1.702 * x));
            case GELU_ERF -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        };
    }

    /** The error function, to about 1.2e-7 (the Chebyshev fit of Numerical Recipes' erfc). */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }

    /** True when the int8 engine needs a lookup table for this activation (it is not a clamp). */
    public boolean needsLookupTable() {
        return this != IDENTITY && this != RELU;
    }

    /**
     * The 256-entry table of a non-clamp activation: entry {@code v + 128} is the output int8 for the
     * pre-activation int8 {@code v}, {@code output.quantize(apply(preActivation.dequantize(v)))}.
     */
    public byte[] lookupTable(QuantParams preActivation, QuantParams output) {
        byte[] table = new byte[256];
        for (int v = -128; v < 128; v++) {
            table[v + 128] = (byte) output.quantize(apply(preActivation.dequantize(v)));
        }
        return table;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activation fromCode(int code) {
        for (Activation a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation code " + code);
    }

    /** Parses a name as used on the command line and in model files (case-insensitive). */
    public static Activation parse(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace("_", "").replace("-", "");
        if (key.equals("LINEAR") || key.equals("NONE")) {
            return IDENTITY;
        }
        for (Activation a : values()) {
            if (a.name().replace("_", "").equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "': use one of relu, leakyrelu, tanh, sigmoid, elu, gelu, gelu_erf, gelu_tanh, identity");
    }
}
