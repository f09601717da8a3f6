package org.edgeml.bench;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.model.Activation;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.trainer.MaxoutLayer;
import org.edgeml.trainer.NetworkFactory;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J network a {@link FloatModel} came from, rebuilt with the same weights: dense hidden layers
 * and a softmax output layer, as the trainer builds them (softmax does not change the argmax of the
 * logits the float model ends with). A maxout layer is the trainer's {@link MaxoutLayer} (DL4J has
 * none), followed by an activation layer unless its activation is the identity; a model ending in
 * maxout ends in its logits, without softmax.
 */
public final class Dl4jNetwork {
    private Dl4jNetwork() {}

    public static MultiLayerNetwork of(FloatModel model) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int count = model.layers().size();
        int[] index = new int[count]; // the DL4J layer holding each dense layer's parameters
        int next = 0;
        for (int l = 0; l < count; l++) {
            var d = model.layers().get(l);
            boolean last = l == count - 1;
            if (last && d.activation() != Activation.IDENTITY) {
                throw new IllegalArgumentException("the last layer must give logits (identity), got " + d.activation());
            }
            index[l] = next++;
            if (d.isMaxout()) {
                MaxoutLayer maxout = new MaxoutLayer(d.outputs(), d.pieces());
                maxout.nIn = d.inputs();
                list.layer(maxout);
                if (d.activation() != Activation.IDENTITY) {
                    list.layer(new ActivationLayer.Builder().activation(NetworkFactory.activation(d.activation())).build());
                    next++;
                }
            } else if (!last) {
                list.layer(new DenseLayer.Builder().nIn(d.inputs()).nOut(d.outputs())
                        .activation(NetworkFactory.activation(d.activation())).build());
            } else {
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d.inputs()).nOut(d.outputs())
                        .activation(new ActivationSoftmax()).build());
            }
        }
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        for (int l = 0; l < count; l++) {
            var d = model.layers().get(l);
            int rows = d.outputs() * d.pieces();
            // DL4J's W is [in, rows]; edgeml's weights are row-major [rows][in] (a maxout unit's pieces in adjacent rows).
            float[][] w = new float[d.inputs()][rows];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d.inputs(); i++) {
                    w[i][r] = d.weight(r, i);
                }
            }
            network.getLayer(index[l]).getParam("W").assign(Nd4j.create(w));
            network.getLayer(index[l]).getParam("b").assign(Nd4j.create(d.bias(), new long[] {1, rows}, DataType.FLOAT));
        }
        return network;
    }
}
