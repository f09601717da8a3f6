package org.edgeml.quantizer.calibration;

import java.util.List;

/**
 * The activation ranges calibration chose, one entry per layer: {@code layers} for the dense layers,
 * {@code features} for the feature layers (convolutions, pools, flatten; empty for a dense network).
 * {@code output} is the range of the layer's output (after its activation); {@code preActivation} is the
 * range of the activation's argument, used only by layers whose activation is a lookup table. Pools and
 * flatten are not calibrated: they share their input's quantization (the TFLite int8 rule), so their
 * {@code output} is the range of the layer before them.
 */
public record Calibration(CalibrationMethod method, int images, List<LayerRanges> layers, List<LayerRanges> features) {
    public Calibration {
        layers = List.copyOf(layers);
        features = List.copyOf(features);
    }

    /** A dense network's calibration: no feature layers. */
    public Calibration(CalibrationMethod method, int images, List<LayerRanges> layers) {
        this(method, images, layers, List.of());
    }

    public record LayerRanges(Range preActivation, Range output) {}
}
