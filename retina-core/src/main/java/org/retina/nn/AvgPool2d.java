package org.retina.nn;

import java.util.Map;
import org.retina.kernel.BlockKernels;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Average pooling per channel, {@code out = (in + 2*padding - dilation*(k-1) - 1) / stride + 1}; the divisor counts
 * the zero padding ({@code countIncludePad}, PyTorch's default) or only the input pixels of the window.
 */
public final class AvgPool2d extends Pooling<AvgPool2d, AvgPool2d.Config> {

    /** The settings of an average pooling: its window (the stride defaults to the kernel) and the divisor's rule. */
    public record Config(Window.Spec window, boolean countIncludePad) implements Windowed.Settings {
        /** Checks the sizes, and that explicit padding is at most half the kernel, as in PyTorch. */
        public Config {
            window.check("AvgPool2d");
            PoolWindow.checkPadding("AvgPool2d", window.padding(), window.kH(), window.kW());
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("AvgPool2d",
            new Config(Window.Spec.of(1, 1, 1, 1), true)).strideIsKernel();

    private Shape inputShape;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    /** An average pooling with the given settings, built when its model is. */
    public AvgPool2d(Config config) {
        super(CODEC, config);
    }

    /** A {@code kernel x kernel} window moved by {@code kernel}, no padding. */
    public static AvgPool2d of(int kernel) {
        return of(kernel, kernel);
    }

    /** A {@code kernelH x kernelW} window moved by its own size, no padding. */
    public static AvgPool2d of(int kernelH, int kernelW) {
        return new AvgPool2d(new Config(Window.Spec.of(kernelH, kernelW, kernelH, kernelW), true));
    }

    /** Whether the divisor counts the zero padding (true, PyTorch's default) or only input pixels. */
    public AvgPool2d withCountIncludePad(boolean include) {
        return with("countIncludePad", include);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = out.forward(Shape.of(n, geometry.outC(), geometry.outH(), geometry.outW()), mode);
        PoolKernels.avgForward(x.data(), null, y.data(), n, geometry, config.countIncludePad);
        if (mode == Mode.TRAIN) {
            inputShape = x.shape();
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.gradient(inputShape);
        PoolKernels.avgBackward(gradOut.data(), null, gradIn.data(), inputShape.dim(0), geometry,
                config.countIncludePad);
        inputShape = null;
        return gradIn;
    }

    /** A built 2x2 stride-2 window the block kernels can run joins a block. */
    @Override
    public BlockPart blockPart() {
        return geometry != null && BlockKernels.fits(geometry) ? BlockPart.pool(ConvBlock.Pool.AVG) : null;
    }

    @Override
    AvgPool2d make(Config settings) {
        return new AvgPool2d(settings);
    }

    @Override
    public String type() {
        return "AvgPool2d";
    }

    /** The inverse of {@link #config()}. */
    public static AvgPool2d fromConfig(Map<String, Object> map) {
        return new AvgPool2d(CODEC.read(map));
    }
}
