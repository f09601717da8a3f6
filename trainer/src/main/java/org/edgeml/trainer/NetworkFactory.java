package org.edgeml.trainer;

import java.util.List;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
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

/**
 * Builds the DL4J network for a recipe: dense hidden layers (or the layers of a {@code --layers} spec) and a
 * softmax output trained on cross-entropy.
 */
public final class NetworkFactory {
    private NetworkFactory() {}

    /**
     * @param iterations the minibatches the whole run will take, over which the learning rate decays
     */
    static MultiLayerNetwork create(TrainingRecipe recipe, int inputs, int classes, long iterations) {
        NeuralNetConfiguration.ListBuilder layers = configuration(recipe, iterations).list();
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
     * The network of a recipe with a {@code --layers} spec for {@code input}-shaped images, given as rows of
     * {@code H*W*C} values in DL4J's channel-major order (identical to edgeml's for one channel). A
     * {@code bn} becomes a BatchNormalization layer after its conv or dense layer, which then has no
     * activation; the activation follows the batch normalization as an ActivationLayer.
     */
    static MultiLayerNetwork create(TrainingRecipe recipe, Shape input, int classes, long iterations) {
        if (!recipe.hasLayerSpec()) {
            return create(recipe, input.size(), classes, iterations);
        }
        LayerShapes.check(recipe.layers(), input);
        NeuralNetConfiguration.ListBuilder layers = configuration(recipe, iterations).list();
        List<LayerSpec> spec = recipe.layers();
        for (int i = 0; i < spec.size(); i++) {
            LayerSpec layer = spec.get(i);
            boolean normalized = i + 1 < spec.size() && spec.get(i + 1) instanceof LayerSpec.BatchNorm;
            if (layer instanceof LayerSpec.Conv c) {
                layers.layer(new ConvolutionLayer.Builder(c.kernelHeight(), c.kernelWidth())
                        .stride(c.strideHeight(), c.strideWidth()).convolutionMode(mode(c.padding())).nOut(c.filters())
                        .activation(activation(normalized ? Activation.IDENTITY : c.activation()))
                        .weightInit(init(c.activation())).build());
            } else if (layer instanceof LayerSpec.DepthwiseConv d) {
                layers.layer(new DepthwiseConvolution2D.Builder(d.kernelHeight(), d.kernelWidth())
                        .stride(d.strideHeight(), d.strideWidth()).convolutionMode(mode(d.padding())).depthMultiplier(1)
                        .activation(activation(normalized ? Activation.IDENTITY : d.activation()))
                        .weightInit(init(d.activation())).build());
            } else if (layer instanceof LayerSpec.Pool p) {
                layers.layer(new SubsamplingLayer.Builder(p.max() ? PoolingType.MAX : PoolingType.AVG)
                        .kernelSize(p.kernelHeight(), p.kernelWidth()).stride(p.strideHeight(), p.strideWidth())
                        .convolutionMode(mode(p.padding())).avgPoolIncludePadInDivisor(false).build());
            } else if (layer instanceof LayerSpec.GlobalAveragePool) {
                layers.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
            } else if (layer instanceof LayerSpec.Dense d) {
                layers.layer(new DenseLayer.Builder().nOut(d.units())
                        .activation(activation(normalized ? Activation.IDENTITY : d.activation()))
                        .weightInit(init(d.activation())).build());
            } else if (layer instanceof LayerSpec.Maxout m) {
                layers.layer(new MaxoutLayer(m.units(), m.pieces()));
            } else if (layer instanceof LayerSpec.Dropout d) {
                layers.layer(new DropoutLayer.Builder(1 - d.rate()).build());
            } else if (layer instanceof LayerSpec.BatchNorm) {
                layers.layer(new BatchNormalization.Builder().useLogStd(false).activation(new ActivationIdentity()).build());
                Activation after = ((LayerSpec.Linear) spec.get(i - 1)).activation();
                if (after != Activation.IDENTITY) {
                    layers.layer(new ActivationLayer.Builder().activation(activation(after)).build());
                }
            }
            // a flatten needs no layer: DL4J flattens before the first dense layer by itself
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(classes).activation(new ActivationSoftmax()).weightInit(WeightInit.XAVIER).build());
        layers.setInputType(InputType.convolutionalFlat(input.height(), input.width(), input.channels()));
        MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
        network.init();
        return network;
    }

    /** What every layer shares: seed, float32, the optimizer with its decaying learning rate, L2. */
    private static NeuralNetConfiguration.Builder configuration(TrainingRecipe recipe, long iterations) {
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
        return builder;
    }

    private static WeightInit init(Activation activation) {
        return switch (activation) {
            case TANH, SIGMOID, IDENTITY -> WeightInit.XAVIER;
            default -> WeightInit.RELU;
        };
    }

    private static ConvolutionMode mode(Padding padding) {
        return padding == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
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
            case GELU_ERF, GELU_TANH -> throw new IllegalArgumentException(activation.cliName()
                    + " comes with imported models only: the trainer trains with gelu");
        };
    }
}
