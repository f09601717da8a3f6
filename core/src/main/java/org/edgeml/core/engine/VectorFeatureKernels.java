package org.edgeml.core.engine;

import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.QuantizedConv2D;

/**
 * The Vector API feature kernels: conv2d and max pool. Only {@link FeatureKernels} names this class, by
 * reflection, so a JVM without the incubator module never links it.
 */
final class VectorFeatureKernels {
    private VectorFeatureKernels() {}

    /** The Vector API kernel for {@code layer}, or null where its kind has none (it runs its reference kernel). */
    static LayerKernel of(FeatureLayer layer) {
        if (layer instanceof QuantizedConv2D conv) {
            return new VectorConv2DKernel(conv);
        } else if (layer instanceof MaxPool2D pool) {
            return new VectorMaxPoolKernel(pool);
        }
        return null;
    }
}
