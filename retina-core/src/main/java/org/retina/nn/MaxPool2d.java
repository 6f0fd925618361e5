package org.retina.nn;

import java.util.Map;
import org.retina.kernel.BlockKernels;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Max pooling per channel, {@code out = (in + 2*padding - dilation*(k-1) - 1) / stride + 1}; padding is -inf. */
public final class MaxPool2d implements Layer {

    /** The settings of a max pooling; the stride defaults to the kernel, as in PyTorch. */
    public record Config(int kernelH, int kernelW, int strideH, int strideW, Padding padding, int dilationH,
                         int dilationW, Fit fit) {
        /** Checks the sizes, and that explicit padding is at most half the kernel, as in PyTorch. */
        public Config {
            PoolWindow.atLeast("MaxPool2d", "kernel height", kernelH, 1);
            PoolWindow.atLeast("MaxPool2d", "kernel width", kernelW, 1);
            PoolWindow.atLeast("MaxPool2d", "stride height", strideH, 1);
            PoolWindow.atLeast("MaxPool2d", "stride width", strideW, 1);
            PoolWindow.atLeast("MaxPool2d", "dilation height", dilationH, 1);
            PoolWindow.atLeast("MaxPool2d", "dilation width", dilationW, 1);
            PoolWindow.checkPadding("MaxPool2d", padding, kernelH, kernelW);
        }
    }

    private final Config config;
    private ConvGeometry geometry;
    private int[] argMax;
    private Shape inputShape;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    /** A max pooling with the given settings, built when its model is. */
    public MaxPool2d(Config config) {
        this.config = config;
    }

    /** A {@code kernel x kernel} window moved by {@code kernel}, no padding. */
    public static MaxPool2d of(int kernel) {
        return of(kernel, kernel);
    }

    /** A {@code kernelH x kernelW} window moved by its own size, no padding. */
    public static MaxPool2d of(int kernelH, int kernelW) {
        return new MaxPool2d(new Config(kernelH, kernelW, kernelH, kernelW, Padding.VALID, 1, 1, Fit.STRICT));
    }

    /** With stride {@code s} along both height and width. */
    public MaxPool2d withStride(int s) {
        return withStride(s, s);
    }

    /** With stride {@code h} along the height and {@code w} along the width. */
    public MaxPool2d withStride(int h, int w) {
        Config c = config;
        return new MaxPool2d(new Config(c.kernelH, c.kernelW, h, w, c.padding, c.dilationH, c.dilationW, c.fit));
    }

    /** With {@code p} pixels of -inf on every side, at most half the kernel. */
    public MaxPool2d withPadding(int p) {
        return withPadding(Padding.of(p));
    }

    /** With {@code h} padding rows at top and bottom and {@code w} padding columns at left and right. */
    public MaxPool2d withPadding(int h, int w) {
        return withPadding(Padding.of(h, w));
    }

    /** With the given padding, explicit or {@link Padding#SAME}. */
    public MaxPool2d withPadding(Padding p) {
        Config c = config;
        return new MaxPool2d(new Config(c.kernelH, c.kernelW, c.strideH, c.strideW, p, c.dilationH, c.dilationW,
                c.fit));
    }

    /** With dilation {@code d} along both axes: window taps {@code d} pixels apart. */
    public MaxPool2d withDilation(int d) {
        return withDilation(d, d);
    }

    /** With dilation {@code h} along the height and {@code w} along the width. */
    public MaxPool2d withDilation(int h, int w) {
        Config c = config;
        return new MaxPool2d(new Config(c.kernelH, c.kernelW, c.strideH, c.strideW, c.padding, h, w, c.fit));
    }

    /** With another rule for windows that do not tile the input; {@link Fit#CEIL} is PyTorch's {@code ceil_mode}. */
    public MaxPool2d withFit(Fit f) {
        Config c = config;
        return new MaxPool2d(new Config(c.kernelH, c.kernelW, c.strideH, c.strideW, c.padding, c.dilationH,
                c.dilationW, f));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        Config c = config;
        geometry = PoolWindow.resolve(type(), in, new Window.Spec(c.kernelH, c.kernelW, c.strideH, c.strideW,
                c.dilationH, c.dilationW, c.padding, c.fit));
        return Shape.of(geometry.outC(), geometry.outH(), geometry.outW());
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = out.forward(Shape.of(n, geometry.outC(), geometry.outH(), geometry.outW()), mode);
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
        Tensor gradIn = grad.get(inputShape);
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
    public String type() {
        return "MaxPool2d";
    }

    @Override
    public Map<String, Object> config() {
        Config c = config;
        Map<String, Object> m = Configs.map();
        m.put("kernelSize", Configs.pairValue(c.kernelH, c.kernelW));
        m.put("stride", Configs.pairValue(c.strideH, c.strideW));
        m.put("padding", c.padding.toConfig());
        m.put("dilation", Configs.pairValue(c.dilationH, c.dilationW));
        m.put("fit", c.fit.key());
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static MaxPool2d fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("MaxPool2d", map);
        int[] k = r.pair("kernelSize");
        int[] s = r.has("stride") ? r.pair("stride") : k;
        int[] d = r.pair("dilation", 1);
        return new MaxPool2d(new Config(k[0], k[1], s[0], s[1], r.padding("padding"), d[0], d[1],
                r.fit("fit", Fit.STRICT)));
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
        StringBuilder sb = new StringBuilder("MaxPool2d(kernel=").append(Conv2d.pair(c.kernelH, c.kernelW));
        if (c.strideH != c.kernelH || c.strideW != c.kernelW) {
            sb.append(", stride=").append(Conv2d.pair(c.strideH, c.strideW));
        }
        if (!c.padding.equals(Padding.VALID)) {
            sb.append(", padding=").append(c.padding);
        }
        if (c.dilationH != 1 || c.dilationW != 1) {
            sb.append(", dilation=").append(Conv2d.pair(c.dilationH, c.dilationW));
        }
        if (c.fit != Fit.STRICT) {
            sb.append(", fit=").append(c.fit.key());
        }
        return sb.append(')').toString();
    }
}
