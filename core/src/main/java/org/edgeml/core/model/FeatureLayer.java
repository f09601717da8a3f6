package org.edgeml.core.model;

/**
 * A layer of a model's feature stack, the part before its dense layers: it maps an int8 NHWC
 * activation of shape {@link #inputShape()}, quantized as {@link #input()}, to one of shape
 * {@link #outputShape()}, quantized as {@link #output()}. Each kind validates itself when constructed.
 */
public sealed interface FeatureLayer
        permits QuantizedConv2D, QuantizedDepthwiseConv2D, PoolingLayer {
    Shape inputShape();

    Shape outputShape();

    QuantParams input();

    QuantParams output();

    /** The kind's name in messages and docs, e.g. {@code conv2d}. */
    String kind();
}
