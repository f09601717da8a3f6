package org.edgeml.quantizer.export;

import java.nio.charset.StandardCharsets;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantizedDense;

/**
 * The memory the exported C code needs for a model. {@code tableBytes}: the constant tables (input
 * table, weights, biases, multipliers, shifts, activation tables), which can live in flash;
 * {@code labelBytes}: the label strings with their terminators; {@code maxHidden}: the largest
 * activation between two layers (a feature layer's output, or a hidden dense layer's; 1 when there is
 * none); {@code scratchBytes}: the ping-pong activation buffers, two of {@code maxHidden} bytes when
 * two layers or more write there, else one; {@code staticRamBytes}: all of {@code edgeml_infer.c}'s
 * static buffers (scratch, the int8 input and the logits of {@code edgeml_classify}).
 */
public record CFootprint(long tableBytes, long labelBytes, int maxHidden, int scratchBytes, long staticRamBytes) {

    public static CFootprint of(Q8Model model) {
        long tables = 256;
        int maxHidden = 1;
        int buffered = 0; // layers whose output goes to the scratch buffer
        for (FeatureLayer layer : model.features()) {
            tables += FeatureTables.tableBytes(layer);
            if (!(layer instanceof Flatten)) { // flatten passes its input on untouched
                maxHidden = Math.max(maxHidden, layer.outputShape().size());
                buffered++;
            }
        }
        for (int l = 0; l < model.layers().size(); l++) {
            QuantizedDense layer = model.layers().get(l);
            tables += DenseTables.tableBytes(layer);
            if (l < model.layers().size() - 1) {
                maxHidden = Math.max(maxHidden, layer.outputs());
                buffered++;
            }
        }
        long labels = 0;
        for (String label : model.labels()) {
            labels += label.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        int scratch = (buffered >= 2 ? 2 : 1) * maxHidden;
        return new CFootprint(tables, labels, maxHidden, scratch, (long) scratch + model.inputSize() + model.classes());
    }
}
