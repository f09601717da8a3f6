package org.edgeml.quantizer.calibration;

import java.util.List;

/**
 * The activation ranges calibration chose, one entry per layer: {@code output} is the range of the
 * layer's output (after its activation); {@code preActivation} is the range of the activation's
 * argument, used only by layers whose activation is a lookup table.
 */
public record Calibration(CalibrationMethod method, int images, List<LayerRanges> layers) {
    public Calibration {
        layers = List.copyOf(layers);
    }

    public record LayerRanges(Range preActivation, Range output) {}
}
