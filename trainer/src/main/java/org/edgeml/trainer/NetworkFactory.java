package org.edgeml.trainer;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.edgeml.core.model.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Builds the DL4J network for a recipe: dense hidden layers and a softmax output trained on cross-entropy. */
public final class NetworkFactory {
    private NetworkFactory() {}

    /**
     * @param iterations the minibatches the whole run will take, over which the learning rate decays
     */
    static MultiLayerNetwork create(TrainingRecipe recipe, int inputs, int classes, long iterations) {
        // lr * gamma^iteration reaches lr * lrDecay at the last iteration.
        double gamma = Math.pow(recipe.lrDecay(), 1.0 / Math.max(1, iterations - 1));
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(recipe.seed())
                .dataType(DataType.FLOAT)
                .updater(recipe.optimizer().updater(
                        new ExponentialSchedule(ScheduleType.ITERATION, recipe.learningRate(), gamma)))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.NONE);
        if (recipe.l2() > 0) {
            builder.l2(recipe.l2());
        }
        NeuralNetConfiguration.ListBuilder layers = builder.list();
        WeightInit init = switch (recipe.activation()) {
            case TANH, SIGMOID -> WeightInit.XAVIER;
            default -> WeightInit.RELU;
        };
        // DL4J applies dropout to a layer's input and takes the probability of keeping a unit, so
        // dropping hidden outputs means setting it on every layer after the first.
        double keep = 1 - recipe.dropout();
        int width = inputs;
        for (int i = 0; i < recipe.hidden().size(); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(width).nOut(recipe.hidden().get(i))
                    .activation(activation(recipe.activation())).weightInit(init);
            if (i > 0 && recipe.dropout() > 0) {
                dense.dropOut(keep);
            }
            layers.layer(dense.build());
            width = recipe.hidden().get(i);
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(width).nOut(classes).activation(new ActivationSoftmax()).weightInit(WeightInit.XAVIER);
        if (recipe.dropout() > 0) {
            output.dropOut(keep);
        }
        layers.layer(output.build());
        MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
        network.init();
        return network;
    }

    /**
     * DL4J's activation for each of ours: leaky slope 0.01 and ELU alpha 1, as in {@link Activation#apply}.
     * For GELU DL4J offers two variants and neither is the tanh form: the default computes
     * {@code x * sigmoid(1.702 x)}; the "precise" one computes
     * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + (0.044715 x)^3)))}, cubing the coefficient too (a libnd4j
     * bug). We train with the default, a published approximation, so the float and int8 GELU must use
     * {@code x * sigmoid(1.702 x)} to compute what the network learned.
     */
    public static IActivation activation(Activation activation) {
        return switch (activation) {
            case IDENTITY -> new ActivationIdentity();
            case RELU -> new ActivationReLU();
            case LEAKYRELU -> new ActivationLReLU(Activation.LEAKY_SLOPE);
            case TANH -> new ActivationTanH();
            case SIGMOID -> new ActivationSigmoid();
            case ELU -> new ActivationELU(1.0);
            case GELU -> new ActivationGELU(false);
        };
    }
}
