package org.edgeml.quantizer.export;

import java.nio.charset.StandardCharsets;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantizedDense;

/**
 * The memory the exported C code needs for a model. {@code tableBytes}: the constant tables (input
 * table, weights, biases, multipliers, shifts, activation tables), which can live in flash;
 * {@code labelBytes}: the label strings with their terminators; {@code maxHidden} and
 * {@code scratchBytes}: the widest hidden layer and the ping-pong buffer between layers (two halves
 * of {@code maxHidden} bytes when there are two hidden layers or more); {@code staticRamBytes}: all
 * of {@code edgeml_infer.c}'s static buffers (scratch, the int8 input and the logits of
 * {@code edgeml_classify}).
 */
public record CFootprint(long tableBytes, long labelBytes, int maxHidden, int scratchBytes, long staticRamBytes) {

    public static CFootprint of(Q8Model model) {
        long tables = 256;
        int maxHidden = 1;
        for (int l = 0; l < model.layers().size(); l++) {
            QuantizedDense layer = model.layers().get(l);
            tables += (long) layer.inputs() * layer.outputs() + 9L * layer.outputs()
                    + (layer.lookupTable() != null ? 256 : 0);
            if (l < model.layers().size() - 1) {
                maxHidden = Math.max(maxHidden, layer.outputs());
            }
        }
        long labels = 0;
        for (String label : model.labels()) {
            labels += label.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        int halves = Math.max(1, Math.min(2, model.layers().size() - 1));
        int scratch = halves * maxHidden;
        return new CFootprint(tables, labels, maxHidden, scratch, (long) scratch + model.inputSize() + model.classes());
    }
}
