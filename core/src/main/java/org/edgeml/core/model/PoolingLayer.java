package org.edgeml.core.model;

/**
 * A feature layer that does not requantize (pools and flatten): its input and output share one
 * quantization, {@link #quant()}, as the TFLite int8 spec requires of pooling.
 */
public sealed interface PoolingLayer extends FeatureLayer permits WindowPool, GlobalAveragePool, Flatten {
    QuantParams quant();

    @Override
    default QuantParams input() {
        return quant();
    }

    @Override
    default QuantParams output() {
        return quant();
    }
}
