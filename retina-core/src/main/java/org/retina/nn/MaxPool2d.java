package org.retina.nn;

import java.util.Map;
import org.retina.kernel.BlockKernels;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Max pooling per channel, {@code out = (in + 2*padding - dilation*(k-1) - 1) / stride + 1}; padding is -inf. */
public final class MaxPool2d extends Pooling<MaxPool2d, MaxPool2d.Config> {

    /** The settings of a max pooling: its window, whose stride defaults to the kernel, as in PyTorch. */
    public record Config(Window.Spec window) implements Windowed.Settings {
        /** Checks the sizes, and that explicit padding is at most half the kernel, as in PyTorch. */
        public Config {
            window.check("MaxPool2d");
            PoolWindow.checkPadding("MaxPool2d", window.padding(), window.kH(), window.kW());
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("MaxPool2d",
            new Config(Window.Spec.of(1, 1, 1, 1))).strideIsKernel();

    private int[] argMax;
    private Shape inputShape;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    /** A max pooling with the given settings, built when its model is. */
    public MaxPool2d(Config config) {
        super(CODEC, config);
    }

    /** A {@code kernel x kernel} window moved by {@code kernel}, no padding. */
    public static MaxPool2d of(int kernel) {
        return of(kernel, kernel);
    }

    /** A {@code kernelH x kernelW} window moved by its own size, no padding. */
    public static MaxPool2d of(int kernelH, int kernelW) {
        return new MaxPool2d(new Config(Window.Spec.of(kernelH, kernelW, kernelH, kernelW)));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = out.output(Shape.of(n, geometry.outC(), geometry.outH(), geometry.outW()), mode);
        int[] arg = mode == Mode.TRAIN ? out.ints(y.size()) : null;
        PoolKernels.maxForward(x.data(), y.data(), arg, n, geometry);
        if (mode == Mode.TRAIN) {
            argMax = arg;
            inputShape = x.shape();
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.gradient(inputShape);
        PoolKernels.maxBackward(gradOut.data(), argMax, gradIn.data(), inputShape.dim(0), geometry);
        argMax = null;
        inputShape = null;
        return gradIn;
    }

    /** A built 2x2 stride-2 window the block kernels can run joins a block. */
    @Override
    public BlockPart blockPart() {
        return geometry != null && BlockKernels.fits(geometry) ? BlockPart.pool(ConvBlock.Pool.MAX) : null;
    }

    @Override
    MaxPool2d make(Config settings) {
        return new MaxPool2d(settings);
    }

    @Override
    public String type() {
        return "MaxPool2d";
    }

    /** The inverse of {@link #config()}. */
    public static MaxPool2d fromConfig(Map<String, Object> map) {
        return new MaxPool2d(CODEC.read(map));
    }
}
