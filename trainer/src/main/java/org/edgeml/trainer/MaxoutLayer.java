package org.edgeml.trainer;

import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A maxout layer for DL4J, which has none: {@code units} units of {@code pieces} linear pieces each,
 * {@code y[n, o] = max_j (x[n] . W[:, o*pieces + j] + b[o*pieces + j])}. {@code W} is {@code [nIn, units*pieces]},
 * so column {@code o*pieces + j} is row {@code o*pieces + j} of edgeml's maxout {@code DenseLayer}.
 * Fields are public with a no-argument constructor so DL4J's JSON configuration can write and read it.
 */
public final class MaxoutLayer extends SameDiffLayer {
    public static final String WEIGHTS = "W";
    public static final String BIAS = "b";

    public long nIn;
    public int units;
    public int pieces;

    public MaxoutLayer() {}

    public MaxoutLayer(int units, int pieces) {
        this.units = units;
        this.pieces = pieces;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable z = input.mmul(params.get(WEIGHTS)).add(params.get(BIAS));
        return z.reshape(-1, units, pieces).max(2);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(WEIGHTS, nIn, (long) units * pieces);
        params.addBiasParam(BIAS, 1, (long) units * pieces);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // Glorot uniform: each piece is a linear unit feeding a max, so no ReLU gain.
        double limit = Math.sqrt(6.0 / (nIn + units));
        INDArray w = params.get(WEIGHTS);
        w.assign(org.nd4j.linalg.factory.Nd4j.rand(w.dataType(), w.shape()).muli(2 * limit).subi(limit));
        params.get(BIAS).assign(0);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(units);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = inputType.arrayElementsPerExample();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutional c) {
            return new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(), c.getChannels(), c.getFormat());
        }
        return null;
    }

    @Override
    public char paramReshapeOrder(String param) {
        return 'c';
    }
}
