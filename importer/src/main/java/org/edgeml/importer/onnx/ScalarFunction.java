package org.edgeml.importer.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import org.edgeml.core.model.Activation;

/**
 * A run of elementwise nodes whose only computed input is one value {@code x} and whose constants are
 * scalars (an activation written as one op, or as a pattern such as GELU's
 * {@code 0.5 * x * (1 + erf(x / sqrt 2))}, or a scale and shift): evaluated as a function of one number
 * and recognized by its values, whatever the order of the ops that compute it.
 */
final class ScalarFunction {
    /** Ops this class can evaluate elementwise. */
    static final Set<String> OPS = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp", "Neg", "Erf", "Tanh",
            "Sigmoid", "Relu", "LeakyRelu", "Elu", "Gelu", "Identity", "Dropout");

    private static final double TOLERANCE = 1e-5;

    private final List<NodeProto> nodes;
    private final String input;
    private final String output;
    private final Map<String, Double> constants;

    ScalarFunction(List<NodeProto> nodes, String input, String output, Map<String, Double> constants) {
        this.nodes = nodes;
        this.input = input;
        this.output = output;
        this.constants = constants;
    }

    double apply(double x) {
        Map<String, Double> values = new HashMap<>(constants);
        values.put(input, x);
        for (NodeProto n : nodes) {
            double a = values.get(n.getInput(0));
            double b = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? values.get(n.getInput(1)) : Double.NaN;
            values.put(n.getOutput(0), eval(n, a, b));
        }
        return values.get(output);
    }

    /** What the function is: an edgeml activation, or a scale and shift {@code a*x + b}. */
    sealed interface Kind permits Act, Affine {}

    record Act(Activation activation) implements Kind {}

    record Affine(double scale, double shift) implements Kind {}

    /** The activation or affine map the values match, or null. */
    Kind classify() {
        double b = apply(0);
        double a = apply(1) - b;
        if (matches(t -> a * t + b)) {
            return new Affine(a, b);
        }
        for (Activation act : Activation.values()) {
            if (act != Activation.IDENTITY && matches(act::apply)) {
                return new Act(act);
            }
        }
        return null;
    }

    private boolean matches(java.util.function.DoubleUnaryOperator g) {
        for (int i = -800; i <= 800; i++) {
            double t = i / 100.0;
            double want = g.applyAsDouble(t);
            if (!(Math.abs(apply(t) - want) <= TOLERANCE * (1 + Math.abs(want)))) {
                return false;
            }
        }
        return true;
    }

    private static double eval(NodeProto n, double a, double b) {
        return switch (n.getOpType()) {
            case "Add" -> a + b;
            case "Sub" -> a - b;
            case "Mul" -> a * b;
            case "Div" -> a / b;
            case "Pow" -> Math.pow(a, b);
            case "Sqrt" -> Math.sqrt(a);
            case "Exp" -> Math.exp(a);
            case "Neg" -> -a;
            case "Erf" -> erf(a);
            case "Tanh" -> Math.tanh(a);
            case "Sigmoid" -> 1 / (1 + Math.exp(-a));
            case "Relu" -> Math.max(0, a);
            case "LeakyRelu" -> a >= 0 ? a : floatAttribute(n, "alpha", 0.01) * a;
            case "Elu" -> a >= 0 ? a : floatAttribute(n, "alpha", 1.0) * Math.expm1(a);
            case "Gelu" -> "tanh".equals(stringAttribute(n, "approximate", "none"))
                    ? 0.5 * a * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (a + 0.044715 * a * a * a)))
                    : 0.5 * a * (1 + erf(a / Math.sqrt(2)));
            case "Identity", "Dropout" -> a;
            default -> throw new IllegalArgumentException(n.getOpType());
        };
    }

    static double floatAttribute(NodeProto n, String name, double fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return fallback;
    }

    static String stringAttribute(NodeProto n, String name, String fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return fallback;
    }

    /** The error function, to about 1e-7 (Abramowitz and Stegun 7.1.26). */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
