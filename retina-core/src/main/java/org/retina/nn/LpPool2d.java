package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Power-average pooling per channel, {@code y = (sum over the window of x^p)^(1/p)} with {@code p = normType}
 * (2: L2-norm pooling), {@code out = (in - k) / stride + 1}; PyTorch's {@code lp_pool2d}, signs included.
 */
public final class LpPool2d extends Pooling<LpPool2d, LpPool2d.Config> {

    /** The settings: the power, and the window (its stride defaults to the kernel; no padding, no dilation). */
    public record Config(double normType, Window.Spec window) implements Windowed.Settings {
        /** Checks the sizes, that {@code normType} is finite and above 0, and that the window neither pads nor dilates. */
        public Config {
            PoolWindow.positive("LpPool2d", "normType", normType);
            window.check("LpPool2d");
            window.refuse("LpPool2d", false);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("LpPool2d",
            new Config(2, Window.Spec.of(1, 1, 1, 1))).strideIsKernel();

    private Tensor input;

    /** A power-average pooling with the given settings, built when its model is. */
    public LpPool2d(Config config) {
        super(CODEC, config);
    }

    /** L2-norm pooling over a {@code kernel x kernel} window moved by {@code kernel}. */
    public static LpPool2d of(int kernel) {
        return of(kernel, kernel);
    }

    /** L2-norm pooling over a {@code kernelH x kernelW} window moved by its own size. */
    public static LpPool2d of(int kernelH, int kernelW) {
        return new LpPool2d(new Config(2, Window.Spec.of(kernelH, kernelW, kernelH, kernelW)));
    }

    /** The power {@code p}: 2 for the L2 norm; odd or fractional powers of negative inputs are as in PyTorch. */
    public LpPool2d withNormType(double p) {
        return with("normType", p);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = Tensor.zeros(Shape.of(n, geometry.outC(), geometry.outH(), geometry.outW()));
        PoolKernels.lpForward(x.data(), y.data(), n, geometry, config.normType);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(input.shape());
        PoolKernels.lpBackward(input.data(), gradOut.data(), gradIn.data(), input.dim(0), geometry,
                config.normType);
        input = null;
        return gradIn;
    }

    @Override
    LpPool2d make(Config settings) {
        return new LpPool2d(settings);
    }

    @Override
    public String type() {
        return "LpPool2d";
    }

    /** The inverse of {@link #config()}. */
    public static LpPool2d fromConfig(Map<String, Object> map) {
        return new LpPool2d(CODEC.read(map));
    }
}
