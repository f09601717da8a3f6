package org.edgeml.core.engine;

import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;

/** Prepares the kernel of each feature layer kind: the scalar reference kernels. */
public final class FeatureKernels {
    private FeatureKernels() {}

    /** The reference kernel for {@code layer}. */
    public static LayerKernel scalar(FeatureLayer layer) {
        if (layer instanceof QuantizedConv2D conv) {
            return new ScalarConv2DKernel(conv);
        } else if (layer instanceof QuantizedDepthwiseConv2D depthwise) {
            return new ScalarDepthwiseConv2DKernel(depthwise);
        } else if (layer instanceof MaxPool2D pool) {
            return new MaxPoolKernel(pool);
        } else if (layer instanceof AveragePool2D pool) {
            return new AveragePoolKernel(pool);
        } else if (layer instanceof GlobalAveragePool pool) {
            return new GlobalAveragePoolKernel(pool);
        } else if (layer instanceof Flatten flatten) {
            int size = flatten.inputShape().size();
            return (input, output) -> System.arraycopy(input, 0, output, 0, size); // NHWC is already flat
        }
        throw new IllegalArgumentException("no kernel for " + layer);
    }
}
