package org.edgeml.bench;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.model.Activation;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.trainer.NetworkFactory;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J network a {@link FloatModel} came from, rebuilt with the same weights: dense hidden layers
 * and a softmax output layer, as the trainer builds them (softmax does not change the argmax of the
 * logits the float model ends with).
 */
public final class Dl4jNetwork {
    private Dl4jNetwork() {}

    public static MultiLayerNetwork of(FloatModel model) {
        model.requireNoMaxout("the DL4J peer");
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int count = model.layers().size();
        for (int l = 0; l < count; l++) {
            var d = model.layers().get(l);
            if (l < count - 1) {
                list.layer(new DenseLayer.Builder().nIn(d.inputs()).nOut(d.outputs())
                        .activation(NetworkFactory.activation(d.activation())).build());
            } else {
                if (d.activation() != Activation.IDENTITY) {
                    throw new IllegalArgumentException("the last layer must give logits (identity), got " + d.activation());
                }
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d.inputs()).nOut(d.outputs())
                        .activation(new ActivationSoftmax()).build());
            }
        }
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        for (int l = 0; l < count; l++) {
            var d = model.layers().get(l);
            // DL4J's W is [in, out]; edgeml's weights are output-major [out][in].
            float[][] w = new float[d.inputs()][d.outputs()];
            for (int o = 0; o < d.outputs(); o++) {
                for (int i = 0; i < d.inputs(); i++) {
                    w[i][o] = d.weight(o, i);
                }
            }
            network.setParam(l + "_W", Nd4j.create(w));
            network.setParam(l + "_b", Nd4j.create(d.bias(), new long[] {1, d.outputs()}, DataType.FLOAT));
        }
        return network;
    }
}
