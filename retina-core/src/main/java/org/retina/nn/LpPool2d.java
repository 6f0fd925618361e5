package org.retina.nn;

import java.util.Map;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Power-average pooling per channel, {@code y = (sum over the window of x^p)^(1/p)} with {@code p = normType}
 * (2: L2-norm pooling), {@code out = (in - k) / stride + 1}; PyTorch's {@code lp_pool2d}, signs included.
 */
public final class LpPool2d implements Layer {

    /** The settings of a power-average pooling; the stride defaults to the kernel, as in PyTorch. */
    public record Config(double normType, int kernelH, int kernelW, int strideH, int strideW, Fit fit) {
        /** Checks the sizes and that {@code normType} is finite and above 0. */
        public Config {
            PoolWindow.positive("LpPool2d", "normType", normType);
            PoolWindow.atLeast("LpPool2d", "kernel height", kernelH, 1);
            PoolWindow.atLeast("LpPool2d", "kernel width", kernelW, 1);
            PoolWindow.atLeast("LpPool2d", "stride height", strideH, 1);
            PoolWindow.atLeast("LpPool2d", "stride width", strideW, 1);
        }
    }

    private final Config config;
    private ConvGeometry geometry;
    private Tensor input;

    /** A power-average pooling with the given settings, built when its model is. */
    public LpPool2d(Config config) {
        this.config = config;
    }

    /** L2-norm pooling over a {@code kernel x kernel} window moved by {@code kernel}. */
    public static LpPool2d of(int kernel) {
        return of(kernel, kernel);
    }

    /** L2-norm pooling over a {@code kernelH x kernelW} window moved by its own size. */
    public static LpPool2d of(int kernelH, int kernelW) {
        return new LpPool2d(new Config(2, kernelH, kernelW, kernelH, kernelW, Fit.STRICT));
    }

    /** The power {@code p}: 2 for the L2 norm; odd or fractional powers of negative inputs are as in PyTorch. */
    public LpPool2d withNormType(double p) {
        Config c = config;
        return new LpPool2d(new Config(p, c.kernelH, c.kernelW, c.strideH, c.strideW, c.fit));
    }

    /** With stride {@code s} along both height and width. */
    public LpPool2d withStride(int s) {
        return withStride(s, s);
    }

    /** With stride {@code h} along the height and {@code w} along the width. */
    public LpPool2d withStride(int h, int w) {
        Config c = config;
        return new LpPool2d(new Config(c.normType, c.kernelH, c.kernelW, h, w, c.fit));
    }

    /** With another rule for windows that do not tile the input. */
    public LpPool2d withFit(Fit f) {
        Config c = config;
        return new LpPool2d(new Config(c.normType, c.kernelH, c.kernelW, c.strideH, c.strideW, f));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        Config c = config;
        geometry = PoolWindow.resolve(type(), in, new Window.Spec(c.kernelH, c.kernelW, c.strideH, c.strideW, 1, 1,
                Padding.VALID, c.fit));
        return Shape.of(geometry.outC(), geometry.outH(), geometry.outW());
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
    public String type() {
        return "LpPool2d";
    }

    @Override
    public Map<String, Object> config() {
        Config c = config;
        Map<String, Object> m = Configs.map();
        m.put("normType", c.normType);
        m.put("kernelSize", Configs.pairValue(c.kernelH, c.kernelW));
        m.put("stride", Configs.pairValue(c.strideH, c.strideW));
        m.put("fit", c.fit.key());
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static LpPool2d fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("LpPool2d", map);
        int[] k = r.pair("kernelSize");
        int[] s = r.has("stride") ? r.pair("stride") : k;
        return new LpPool2d(new Config(r.number("normType", 2), k[0], k[1], s[0], s[1], r.fit("fit", Fit.STRICT)));
    }

    /** The resolved geometry, after build. */
    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public long macs() {
        return geometry == null ? 0 : geometry.macs();
    }

    @Override
    public int droppedInputPixels() {
        return geometry == null ? 0 : Window.droppedPixels(geometry);
    }

    @Override
    public String toString() {
        Config c = config;
        StringBuilder sb = new StringBuilder("LpPool2d(");
        if (c.normType != 2) {
            sb.append("normType=").append(PoolWindow.number(c.normType)).append(", ");
        }
        sb.append("kernel=").append(Conv2d.pair(c.kernelH, c.kernelW));
        if (c.strideH != c.kernelH || c.strideW != c.kernelW) {
            sb.append(", stride=").append(Conv2d.pair(c.strideH, c.strideW));
        }
        if (c.fit != Fit.STRICT) {
            sb.append(", fit=").append(c.fit.key());
        }
        return sb.append(')').toString();
    }
}
