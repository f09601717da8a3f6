package org.edgeml.quantizer.export;

import java.util.List;
import java.util.Locale;
import org.edgeml.core.model.QuantizedDense;

/**
 * The dense layers in {@code <stem>_model.h}: per layer {@code n} its weights (output-major,
 * {@code [outputs][inputs]}), bias and requantization tables, then the {@code edgeml_layers[]}
 * descriptors {@code edgeml_infer.c} runs in order. One weight row, bias and requantization per output
 * unit, or for maxout {@code pieces} of each per unit (rows {@code o*pieces ..}), of which the C code
 * takes the largest {@code edgeml_requantize_clamped} before {@code edgeml_activate}, as core's
 * {@code ScalarDenseKernel} does.
 */
final class DenseTables {
    private DenseTables() {}

    static void write(CCode c, List<QuantizedDense> layers) {
        for (int l = 0; l < layers.size(); l++) {
            tables(c, l, layers.get(l));
        }
        c.blank();
        c.line("/* {inputs, outputs, pieces, weights, bias, input zero point,"
                + " {multiplier, shift, lookup table, zero point, clamp min, clamp max}} */");
        c.line("static const edgeml_dense edgeml_layers[EDGEML_LAYERS] = {");
        for (int l = 0; l < layers.size(); l++) {
            QuantizedDense layer = layers.get(l);
            String p = prefix(l);
            c.line("    {" + layer.inputs() + ", " + layer.outputs() + ", " + layer.pieces() + ", " + p + "weights, " + p + "bias, "
                    + layer.inputZeroPoint() + ", " + Requantizations.initializer(p, layer.requantization()) + "},");
        }
        c.line("};");
    }

    /** Constant table bytes of one layer: weights, 4-byte biases and its requantization tables. */
    static long tableBytes(QuantizedDense layer) {
        return (long) layer.inputs() * layer.rows() + 4L * layer.rows() + Requantizations.tableBytes(layer.requantization());
    }

    private static String prefix(int l) {
        return "edgeml_layer" + l + "_";
    }

    private static void tables(CCode c, int l, QuantizedDense layer) {
        String p = prefix(l);
        String dims = layer.isMaxout() ? "EDGEML_LAYER" + l + "_OUTPUTS * EDGEML_LAYER" + l + "_PIECES"
                : "EDGEML_LAYER" + l + "_OUTPUTS";
        c.blank();
        c.line(String.format(Locale.ROOT, "/* Layer %d: %d -> %d%s, %s; input scale %s zero point %d,"
                        + " output scale %s zero point %d, clamp [%d, %d]. */",
                l, layer.inputs(), layer.outputs(), layer.isMaxout() ? " maxout " + layer.pieces() + " pieces" : "",
                layer.activation().cliName(), layer.inputScale(),
                layer.inputZeroPoint(), layer.outputScale(), layer.outputZeroPoint(), layer.clampMin(), layer.clampMax()));
        c.int8Array(p + "weights", dims + " * EDGEML_LAYER" + l + "_INPUTS", layer.weights(), layer.inputs(),
                layer.isMaxout() ? "row (unit * pieces + piece)" : "output", "EDGEML_TABLE_ATTR");
        c.int32Array(p + "bias", dims, layer.bias(), "EDGEML_TABLE_ATTR");
        Requantizations.tables(c, p, dims, layer.requantization());
    }
}
