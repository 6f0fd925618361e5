package org.retina.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm1d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.ChannelShuffle;
import org.retina.nn.Clip;
import org.retina.nn.Conv2d;
import org.retina.nn.ConvBlock;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.ELU;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GaussianPool2d;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.GlobalMaxPool2d;
import org.retina.nn.HardSigmoid;
import org.retina.nn.HardSwish;
import org.retina.nn.Layer;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LocalResponseNorm;
import org.retina.nn.LocallyConnected2d;
import org.retina.nn.LogSoftmax;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.PReLU;
import org.retina.nn.Pad2d;
import org.retina.nn.Padding;
import org.retina.nn.ReLU;
import org.retina.nn.Reshape;
import org.retina.nn.SELU;
import org.retina.nn.Scale;
import org.retina.nn.Shift;
import org.retina.nn.Erf;
import org.retina.nn.LayerNorm;
import org.retina.nn.Reduce;
import org.retina.nn.SiLU;
import org.retina.nn.Slice;
import org.retina.nn.Sigmoid;
import org.retina.nn.Softmax;
import org.retina.nn.Softplus;
import org.retina.nn.Softsign;
import org.retina.nn.Tanh;
import org.retina.nn.WeightInit;
import org.retina.tensor.Shape;

/**
 * The one table of layer cases every contract check runs over: a new layer or awkward geometry is one row.
 */
public final class LayerCases {
    private LayerCases() {
    }

    /**
     * A case: a fresh layer, a per-sample input shape, a batch size, the expected parameter count
     * ({@code -1} = not asserted), whether its training forward is random (dropout), and whether its inputs
     * must be spread apart ({@link GradientCheck#spread}) because the layer picks an arg-max.
     */
    public record Case(String name, Supplier<Layer> layer, Shape input, int batch, long params, boolean stochastic,
                       boolean spread) {
        /** A case whose inputs are uniform in [-1, 1). */
        public Case(String name, Supplier<Layer> layer, Shape input, int batch, long params, boolean stochastic) {
            this(name, layer, input, batch, params, stochastic, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A geometry that must not build, with a fragment the error must contain. */
    public record Bad(String name, Supplier<Layer> layer, Shape input, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Supplier<Layer> layer, Shape input, long params) {
        return new Case(name, layer, input, 2, params, false);
    }

    static Case c(String name, Supplier<Layer> layer, Shape input, int batch, long params) {
        return new Case(name, layer, input, batch, params, false);
    }

    /** A parameter-free case whose layer picks an arg-max: near-ties in its input would flip under a step. */
    static Case argMax(String name, Supplier<Layer> layer, Shape input) {
        return new Case(name, layer, input, 2, 0, false, true);
    }

    public static List<Case> all() {
        return concat(convolution(), pooling(), others(), interop());
    }

    public static List<Bad> bad() {
        return concat(badConvolution(), badPooling(), badOthers(), badInterop());
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... families) {
        List<T> all = new ArrayList<>();
        for (List<T> f : families) {
            all.addAll(f);
        }
        return List.copyOf(all);
    }

    static List<Case> convolution() {
        return List.of(
                c("conv 3->4 k3", () -> Conv2d.of(4, 3), Shape.of(3, 5, 5), 4 * 3 * 9 + 4),
                c("conv 2->3 k3 s2 p1 odd", () -> Conv2d.of(3, 3).withStride(2).withPadding(1), Shape.of(2, 7, 5),
                        3 * 2 * 9 + 3),
                c("conv k2x3 s(1,2) p(1,0)", () -> Conv2d.of(2, 2, 3).withStride(1, 2).withPadding(1, 0),
                        Shape.of(2, 4, 7), 2 * 2 * 6 + 2),
                c("conv dilation 2", () -> Conv2d.of(3, 3).withDilation(2).withPadding(2), Shape.of(2, 6, 6),
                        3 * 2 * 9 + 3),
                c("conv groups 2", () -> Conv2d.of(4, 3).withGroups(2).withPadding(1), Shape.of(4, 5, 4),
                        4 * 2 * 9 + 4),
                c("conv depthwise", () -> Conv2d.of(3, 3).withGroups(3), Shape.of(3, 5, 5), 3 * 9 + 3),
                c("conv 1x1", () -> Conv2d.of(5, 1), Shape.of(3, 4, 3), 5 * 3 + 5),
                // ReLU's kinks defeat a finite difference through batch statistics: ConvBlockTest holds the
                // ReLU and ReLU6 blocks to their parts run one by one
                c("conv block bn tanh max", () -> ConvBlock.of(Conv2d.of(4, 3).withPadding(1)).withBatchNorm()
                        .withActivation(ConvBlock.Activation.TANH).withPool(ConvBlock.Pool.MAX), Shape.of(3, 8, 8),
                        4 * 3 * 9 + 4 + 2 * 4),
                c("conv block tanh avg", () -> ConvBlock.of(Conv2d.of(3, 3)).withActivation(ConvBlock.Activation.TANH)
                        .withPool(ConvBlock.Pool.AVG), Shape.of(2, 6, 6), 3 * 2 * 9 + 3),
                c("conv block bn silu", () -> ConvBlock.of(Conv2d.of(3, 3).withPadding(1)).withBatchNorm()
                        .withActivation(ConvBlock.Activation.SILU), Shape.of(2, 6, 6), 3 * 2 * 9 + 3 + 2 * 3),
                c("conv block 1x1 bn", () -> ConvBlock.of(Conv2d.of(2, 1)).withBatchNorm(), Shape.of(3, 4, 4),
                        2 * 3 + 2 + 2 * 2),
                c("conv block alone", () -> ConvBlock.of(Conv2d.of(2, 3).withBias(false)), Shape.of(1, 5, 5), 2 * 9),
                c("conv kaiming init", () -> Conv2d.of(3, 3).withInit(WeightInit.KAIMING_NORMAL), Shape.of(2, 4, 4),
                        3 * 2 * 9 + 3),
                c("conv 1x1 stride 2", () -> Conv2d.of(2, 1).withStride(2), Shape.of(3, 5, 5), 2 * 3 + 2),
                c("conv no bias", () -> Conv2d.of(3, 3).withBias(false), Shape.of(2, 4, 4), 3 * 2 * 9),
                c("conv same k2", () -> Conv2d.of(2, 2).withPadding(Padding.SAME), Shape.of(2, 5, 5), 2 * 2 * 4 + 2),
                c("conv same s2", () -> Conv2d.of(2, 3).withStride(2).withPadding(Padding.SAME), Shape.of(1, 6, 7),
                        2 * 9 + 2),
                c("conv floor", () -> Conv2d.of(2, 3).withStride(2).withFit(Fit.FLOOR), Shape.of(1, 6, 6),
                        2 * 9 + 2),
                c("conv pad-to-fit", () -> Conv2d.of(2, 3).withStride(2).withFit(Fit.PAD_TO_FIT), Shape.of(1, 6, 6),
                        2 * 9 + 2));
    }

    static List<Bad> badConvolution() {
        return List.of(
                new Bad("conv 4.5 (seed 003)", () -> Conv2d.of(1, 3).withStride(2), Shape.of(1, 10, 10),
                        "(10 - 3 + 0)/2 + 1 = 4.5 is not a whole number"),
                new Bad("conv kernel larger than input", () -> Conv2d.of(1, 5), Shape.of(1, 3, 3),
                        "the output would be below 1"),
                new Bad("conv block pooling odd", () -> ConvBlock.of(Conv2d.of(2, 2)).withPool(ConvBlock.Pool.MAX),
                        Shape.of(1, 6, 6), "MaxPool2d: "),
                new Bad("conv channels", () -> Conv2d.of(4, 3).withInChannels(3), Shape.of(2, 5, 5), "expected 3"),
                new Bad("conv groups", () -> Conv2d.of(4, 3).withGroups(2), Shape.of(3, 5, 5),
                        "not divisible by groups 2"),
                new Bad("conv on a vector", () -> Conv2d.of(4, 3), Shape.of(10), "expected (channels, height, width)"));
    }

    static List<Case> pooling() {
        return List.of(
                argMax("maxpool k2", () -> MaxPool2d.of(2), Shape.of(3, 4, 6)),
                argMax("maxpool k3 s2 p1 overlapping", () -> MaxPool2d.of(3).withStride(2).withPadding(1),
                        Shape.of(2, 7, 7)),
                argMax("maxpool k2x3 s(1,2)", () -> MaxPool2d.of(2, 3).withStride(1, 2), Shape.of(2, 5, 7)),
                argMax("maxpool dilation 2 p1", () -> MaxPool2d.of(3).withStride(1).withDilation(2).withPadding(1),
                        Shape.of(2, 6, 5)),
                argMax("maxpool ceil hanging 5x5 (last-window rule)",
                        () -> MaxPool2d.of(2).withPadding(1).withFit(Fit.CEIL), Shape.of(2, 5, 5)),
                argMax("maxpool k3 s2 ceil 6x7", () -> MaxPool2d.of(3).withStride(2).withFit(Fit.CEIL),
                        Shape.of(2, 6, 7)),
                argMax("maxpool pad-to-fit", () -> MaxPool2d.of(3).withStride(2).withFit(Fit.PAD_TO_FIT),
                        Shape.of(2, 6, 6)),
                argMax("maxpool floor odd", () -> MaxPool2d.of(2).withFit(Fit.FLOOR), Shape.of(2, 7, 5)),
                argMax("maxpool same s2", () -> MaxPool2d.of(3).withStride(2).withPadding(Padding.SAME),
                        Shape.of(1, 5, 6)),
                c("avgpool k2", () -> AvgPool2d.of(2), Shape.of(2, 4, 6), 0),
                c("avgpool k3 s1 p1", () -> AvgPool2d.of(3).withStride(1).withPadding(1), Shape.of(2, 5, 4), 0),
                c("avgpool k3 s1 p1 exclude-pad",
                        () -> AvgPool2d.of(3).withStride(1).withPadding(1).withCountIncludePad(false),
                        Shape.of(2, 5, 4), 0),
                c("avgpool k3 s2 p1 ceil hanging",
                        () -> AvgPool2d.of(3).withStride(2).withPadding(1).withFit(Fit.CEIL), Shape.of(2, 6, 6), 0),
                c("avgpool k3 s2 p1 ceil hanging exclude-pad", () -> AvgPool2d.of(3).withStride(2).withPadding(1)
                        .withFit(Fit.CEIL).withCountIncludePad(false), Shape.of(2, 6, 6), 0),
                c("avgpool k2x3 s(2,1) floor odd", () -> AvgPool2d.of(2, 3).withStride(2, 1).withFit(Fit.FLOOR),
                        Shape.of(1, 5, 5), 0),
                c("avgpool pad-to-fit", () -> AvgPool2d.of(2).withFit(Fit.PAD_TO_FIT), Shape.of(2, 5, 5), 0),
                c("avgpool dilation 2 p(1,0) exclude-pad", () -> AvgPool2d.of(2).withStride(1).withDilation(2)
                        .withPadding(1, 0).withCountIncludePad(false), Shape.of(1, 5, 6), 0),
                c("lppool p2 k2", () -> LpPool2d.of(2), Shape.of(2, 4, 4), 0),
                c("lppool p2 k3 s2 ceil hanging", () -> LpPool2d.of(3).withStride(2).withFit(Fit.CEIL),
                        Shape.of(2, 6, 7), 0),
                c("lppool p1 k2x3", () -> LpPool2d.of(2, 3).withNormType(1), Shape.of(1, 4, 6), 0),
                c("lppool p4 k2 s1 overlapping", () -> LpPool2d.of(2).withNormType(4).withStride(1),
                        Shape.of(2, 3, 4), 0),
                c("lppool pad-to-fit", () -> LpPool2d.of(2).withFit(Fit.PAD_TO_FIT), Shape.of(1, 5, 5), 0),
                c("gausspool k3 s1 p1", () -> GaussianPool2d.of(3).withStride(1).withPadding(1), Shape.of(2, 5, 5),
                        0),
                c("gausspool k2x3 sigma 0.7 s2 floor",
                        () -> GaussianPool2d.of(2, 3).withSigma(0.7).withStride(2).withFit(Fit.FLOOR),
                        Shape.of(1, 5, 8), 0),
                c("gausspool k3 s2 ceil hanging", () -> GaussianPool2d.of(3).withStride(2).withFit(Fit.CEIL),
                        Shape.of(2, 6, 6), 0),
                c("gausspool pad-to-fit", () -> GaussianPool2d.of(3).withSigma(2).withFit(Fit.PAD_TO_FIT),
                        Shape.of(1, 7, 5), 0),
                c("global avg 5x3", GlobalAvgPool2d::of, Shape.of(3, 5, 3), 0),
                c("global avg 1x1", GlobalAvgPool2d::of, Shape.of(4, 1, 1), 0),
                argMax("global max 5x3", GlobalMaxPool2d::of, Shape.of(3, 5, 3)),
                argMax("global max 1x1", GlobalMaxPool2d::of, Shape.of(4, 1, 1)));
    }

    static List<Bad> badPooling() {
        return List.of(
                new Bad("maxpool 4.5", () -> MaxPool2d.of(3).withStride(2), Shape.of(1, 10, 10),
                        "(10 - 3 + 0)/2 + 1 = 4.5 is not a whole number"),
                new Bad("avgpool 3.5", () -> AvgPool2d.of(2), Shape.of(3, 7, 8),
                        "(7 - 2 + 0)/2 + 1 = 3.5 is not a whole number"),
                new Bad("lppool 2.5", () -> LpPool2d.of(2), Shape.of(1, 4, 5),
                        "(5 - 2 + 0)/2 + 1 = 2.5 is not a whole number"),
                new Bad("gausspool 4.5", () -> GaussianPool2d.of(3).withStride(2).withPadding(1), Shape.of(1, 8, 8),
                        "(8 - 3 + 2)/2 + 1 = 4.5 is not a whole number"),
                new Bad("maxpool kernel larger than input", () -> MaxPool2d.of(5), Shape.of(1, 3, 3),
                        "the output would be below 1"),
                new Bad("avgpool kernel larger than input", () -> AvgPool2d.of(2, 4), Shape.of(1, 4, 3),
                        "the width is smaller than the kernel"),
                new Bad("maxpool on a vector", () -> MaxPool2d.of(2), Shape.of(10),
                        "expected (channels, height, width)"),
                new Bad("global avg on a matrix", GlobalAvgPool2d::of, Shape.of(4, 4),
                        "expected (channels, height, width)"),
                new Bad("global max on a vector", GlobalMaxPool2d::of, Shape.of(10),
                        "expected (channels, height, width)"),
                new Bad("maxpool pad-to-fit window beyond the input",
                        () -> MaxPool2d.of(2).withStride(3).withFit(Fit.PAD_TO_FIT), Shape.of(1, 6, 6),
                        "the window of output row 2 reads only padding"),
                new Bad("maxpool dilation steps over the input",
                        () -> MaxPool2d.of(2).withDilation(3).withPadding(1), Shape.of(1, 2, 2),
                        "the window of output row 0 reads only padding"));
    }

    /** Dense, flatten, locally connected, activations, normalization, dropout. */
    static List<Case> others() {
        return List.of(
                c("dense 7->5", () -> Dense.of(5), Shape.of(7), 7 * 5 + 5),
                c("dense xavier init", () -> Dense.of(4).withInit(WeightInit.XAVIER_UNIFORM), Shape.of(6), 6 * 4 + 4),
                c("dense no bias", () -> Dense.of(3).withBias(false), Shape.of(4), 4 * 3),
                c("dense stated in, batch 1", () -> Dense.of(2).withInFeatures(6), Shape.of(6), 1, 6 * 2 + 2),
                c("dense 1->1", () -> Dense.of(1), Shape.of(1), 3, 2),
                c("flatten 3x4x5", Flatten::of, Shape.of(3, 4, 5), 0),
                c("flatten 1x1x1", Flatten::of, Shape.of(1, 1, 1), 0),
                c("flatten a vector", Flatten::of, Shape.of(6), 0),
                c("locally connected 3->4 k3", () -> LocallyConnected2d.of(4, 3), Shape.of(3, 6, 6),
                        16 * 4 * 27 + 4 * 16),
                c("locally connected k2x3 s2 p1", () -> LocallyConnected2d.of(2, 2, 3).withStride(2).withPadding(1),
                        Shape.of(2, 6, 7), 16 * 2 * 12 + 2 * 16),
                c("locally connected 1x1 output no bias", () -> LocallyConnected2d.of(3, 3).withBias(false),
                        Shape.of(2, 3, 3), 3 * 18),
                c("locally connected floor", () -> LocallyConnected2d.of(2, 3).withStride(2).withFit(Fit.FLOOR),
                        Shape.of(1, 6, 6), 4 * 2 * 9 + 2 * 4),
                c("locally connected same k2", () -> LocallyConnected2d.of(2, 2).withPadding(Padding.SAME),
                        Shape.of(1, 5, 5), 25 * 2 * 4 + 2 * 25),
                c("relu", ReLU::of, Shape.of(3, 4, 5), 0),
                c("relu on a vector, batch 1", ReLU::of, Shape.of(7), 1, 0),
                c("leaky relu", LeakyReLU::of, Shape.of(2, 3, 3), 0),
                c("leaky relu slope 0.2", () -> LeakyReLU.of(0.2), Shape.of(5), 0),
                c("hard sigmoid", HardSigmoid::of, Shape.of(2, 3, 4), 0),
                c("hard sigmoid onnx", () -> HardSigmoid.of(0.2, 0.5), Shape.of(6), 0),
                c("hard swish", HardSwish::of, Shape.of(2, 3, 4), 0),
                c("silu", SiLU::of, Shape.of(2, 3, 4), 0),
                c("erf", Erf::of, Shape.of(2, 3, 4), 0),
                c("layer norm over channels", LayerNorm::of, Shape.of(4, 3, 2), 4 + 4),
                c("layer norm over features", () -> LayerNorm.of().withEps(1e-6), Shape.of(6), 3, 6 + 6),
                c("layer norm no affine", () -> LayerNorm.of().withAffine(false), Shape.of(3, 2, 2), 0),
                c("reduce mean over channels", () -> Reduce.of(Reduce.Op.MEAN, true, 0), Shape.of(4, 3, 2), 0),
                c("reduce sum over rows and columns", () -> Reduce.of(Reduce.Op.SUM, false, 1, 2), Shape.of(2, 3, 4),
                        0),
                c("reduce sum of features", () -> Reduce.of(Reduce.Op.SUM, true, 0), Shape.of(5), 0),
                argMax("reduce max over the last axis", () -> Reduce.of(Reduce.Op.MAX, false, 2), Shape.of(2, 3, 4)),
                argMax("reduce max over channels and rows", () -> Reduce.of(Reduce.Op.MAX, true, 0, 1),
                        Shape.of(3, 2, 2)),
                c("slice of channels", () -> Slice.of(0, 2, 5), Shape.of(6, 3, 2), 0),
                c("slice of rows", () -> Slice.of(1, 1, 2), Shape.of(2, 3, 4), 0),
                c("slice of the last axis", () -> Slice.of(2, 0, 3), Shape.of(2, 2, 4), 0),
                c("slice of features", () -> Slice.of(0, 0, 1), Shape.of(5), 0),
                c("sigmoid", Sigmoid::of, Shape.of(2, 3, 4), 0),
                c("tanh", Tanh::of, Shape.of(6), 0),
                c("softmax over features", Softmax::of, Shape.of(10), 0),
                c("softmax per pixel", Softmax::of, Shape.of(3, 2, 3), 0),
                c("softmax of one channel", Softmax::of, Shape.of(1, 2, 2), 0),
                c("log softmax over features", LogSoftmax::of, Shape.of(10), 0),
                c("log softmax per pixel", LogSoftmax::of, Shape.of(4, 3, 1), 0),
                c("batchnorm2d", BatchNorm2d::of, Shape.of(3, 4, 5), 3 + 3),
                c("batchnorm2d 1x1 spatial", BatchNorm2d::of, Shape.of(4, 1, 1), 3, 4 + 4),
                c("batchnorm2d batch 1", BatchNorm2d::of, Shape.of(2, 3, 3), 1, 2 + 2),
                c("batchnorm2d no affine", () -> BatchNorm2d.of().withAffine(false), Shape.of(2, 3, 3), 0),
                c("batchnorm2d eps momentum", () -> BatchNorm2d.of().withEps(1e-3).withMomentum(0.3),
                        Shape.of(2, 2, 3), 2 + 2),
                // batch 2 is valid but degenerate (every normalized value is +-1, the input gradient ~0): use 4
                c("batchnorm1d", BatchNorm1d::of, Shape.of(5), 4, 5 + 5),
                c("batchnorm1d stated features no affine", () -> BatchNorm1d.of().withNumFeatures(3).withAffine(false),
                        Shape.of(3), 3, 0),
                new Case("dropout 0.5", () -> Dropout.of(0.5), Shape.of(3, 4, 4), 2, 0, true),
                new Case("dropout 0 on a vector", () -> Dropout.of(0), Shape.of(5), 1, 0, true));
    }

    static List<Bad> badOthers() {
        return List.of(
                new Bad("dense on an image", () -> Dense.of(10), Shape.of(32, 7, 7),
                        "input (32, 7, 7) has rank 3, expected (features,): add Flatten before Dense"),
                new Bad("dense features", () -> Dense.of(3).withInFeatures(5), Shape.of(4), "has 4 features, expected 5"),
                new Bad("flatten a scalar", Flatten::of, Shape.of(), "expected rank >= 1"),
                new Bad("locally connected 4.5", () -> LocallyConnected2d.of(1, 3).withStride(2), Shape.of(1, 10, 10),
                        "(10 - 3 + 0)/2 + 1 = 4.5 is not a whole number"),
                new Bad("locally connected on a vector", () -> LocallyConnected2d.of(2, 3), Shape.of(10),
                        "expected (channels, height, width)"),
                new Bad("locally connected channels", () -> LocallyConnected2d.of(2, 3).withInChannels(3),
                        Shape.of(2, 5, 5), "has 2 channels, expected 3"),
                new Bad("softmax of a scalar", Softmax::of, Shape.of(), "no channel axis"),
                new Bad("slice beyond the axis", () -> Slice.of(0, 2, 7), Shape.of(6, 3, 2),
                        "range [2, 7) along axis 0 does not fit its 6 entries"),
                new Bad("reduce a missing axis", () -> Reduce.of(Reduce.Op.MEAN, true, 3), Shape.of(6, 3, 2),
                        "has no axis 3"),
                new Bad("reduce every axis away", () -> Reduce.of(Reduce.Op.SUM, false, 0, 1), Shape.of(6, 3),
                        "leaves no dims per sample"),
                new Bad("slice of a missing axis", () -> Slice.of(3, 0, 1), Shape.of(6, 3, 2), "has no axis 3"),
                new Bad("log softmax of a scalar", LogSoftmax::of, Shape.of(), "no channel axis"),
                new Bad("batchnorm2d on a vector", BatchNorm2d::of, Shape.of(5), "use BatchNorm1d"),
                new Bad("batchnorm2d features", () -> BatchNorm2d.of().withNumFeatures(4), Shape.of(3, 4, 4),
                        "has 3 features, expected 4"),
                new Bad("batchnorm1d on an image", BatchNorm1d::of, Shape.of(3, 4, 4), "use BatchNorm2d"));
    }

    /** The layers ONNX models bring: normalization, padding, parametric and smooth activations, layout. */
    static List<Case> interop() {
        return List.of(
                c("lrn size 5", () -> LocalResponseNorm.of(5), Shape.of(7, 3, 2), 0),
                // a large alpha makes the window's sum matter, so the check sees the cross-channel terms
                c("lrn size 2 alpha 2 k 1.5", () -> LocalResponseNorm.of(2).withAlpha(2).withK(1.5), Shape.of(4, 2, 2),
                        0),
                c("lrn size 3 beta 0.5 on a sequence", () -> LocalResponseNorm.of(3).withAlpha(1).withBeta(0.5),
                        Shape.of(5, 4), 0),
                c("lrn size larger than channels", () -> LocalResponseNorm.of(7).withAlpha(0.5), Shape.of(3, 2, 2), 0),
                c("pad constant 0.5", () -> Pad2d.constant(1, 2, 0, 3, 0.5), Shape.of(2, 3, 4), 0),
                c("pad zeros", () -> Pad2d.zeros(1, 1, 1, 1), Shape.of(1, 2, 2), 0),
                c("pad reflect", () -> Pad2d.reflect(2, 1, 3, 0), Shape.of(2, 4, 5), 0),
                c("pad edge", () -> Pad2d.edge(0, 3, 2, 1), Shape.of(2, 3, 3), 0),
                c("prelu shared", PReLU::of, Shape.of(2, 3, 3), 1),
                c("prelu per channel", () -> PReLU.perChannel().withInit(-0.3), Shape.of(3, 2, 4), 3),
                c("prelu per feature", PReLU::perChannel, Shape.of(5), 5),
                c("elu", ELU::of, Shape.of(2, 3, 4), 0),
                c("elu alpha 0.5", () -> ELU.of(0.5), Shape.of(6), 0),
                c("selu", SELU::of, Shape.of(3, 2, 2), 0),
                c("softplus", Softplus::of, Shape.of(2, 3, 3), 0),
                c("softplus beta 2 threshold 1", () -> Softplus.of().withBeta(2).withThreshold(1), Shape.of(8), 0),
                c("softsign", Softsign::of, Shape.of(2, 3, 4), 0),
                c("clip [-0.5, 0.5]", () -> Clip.of(-0.5, 0.5), Shape.of(2, 3, 3), 0),
                c("clip relu6", Clip::relu6, Shape.of(7), 0),
                c("clip below only", () -> Clip.of(-0.2, Double.POSITIVE_INFINITY), Shape.of(2, 2, 2), 0),
                c("scale shared", Scale::of, Shape.of(2, 3, 3), 1),
                c("scale per channel", Scale::perChannel, Shape.of(3, 2, 2), 3),
                c("scale per feature", Scale::perChannel, Shape.of(6), 6),
                c("shift shared", Shift::of, Shape.of(4), 1),
                c("shift per channel", Shift::perChannel, Shape.of(3, 2, 3), 3),
                c("reshape to a volume", () -> Reshape.of(2, -1, 3), Shape.of(12), 0),
                c("reshape to a vector", () -> Reshape.of(-1), Shape.of(2, 3, 2), 0),
                c("channel shuffle 3 groups", () -> ChannelShuffle.of(3), Shape.of(6, 2, 2), 0),
                c("channel shuffle 1 group", () -> ChannelShuffle.of(1), Shape.of(4, 3), 0),
                c("softmax over the width", () -> Softmax.of(-1), Shape.of(2, 3, 4), 0),
                c("softmax over the height", () -> Softmax.of(2), Shape.of(2, 3, 4), 0),
                c("log softmax over the last dim", () -> LogSoftmax.of(3), Shape.of(2, 2, 5), 0));
    }

    static List<Bad> badInterop() {
        return List.of(
                new Bad("lrn on a vector", () -> LocalResponseNorm.of(3), Shape.of(5), "expected (channels, ...)"),
                new Bad("pad reflect wider than the input", () -> Pad2d.reflect(0, 0, 3, 0), Shape.of(1, 4, 3),
                        "each pad must be below the size it reflects"),
                new Bad("pad a vector", () -> Pad2d.zeros(1, 1, 1, 1), Shape.of(4), "expected (channels, height, width)"),
                new Bad("prelu per channel of a scalar", PReLU::perChannel, Shape.of(), "has no channel axis"),
                new Bad("reshape size", () -> Reshape.of(5, -1), Shape.of(3, 4), "cannot be viewed as [5, -1]"),
                new Bad("channel shuffle groups", () -> ChannelShuffle.of(4), Shape.of(6, 2, 2),
                        "divisible by groups 4"),
                new Bad("softmax dim beyond the input", () -> Softmax.of(4), Shape.of(2, 3, 4),
                        "dim 4 is outside the batch tensor's dims 1..3"));
    }
}
