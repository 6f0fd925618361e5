package org.retina.nn;

import java.util.Map;
import org.retina.kernel.BlockKernels;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Max pooling per channel, {@code out = (in + 2*padding - dilation*(k-1) - 1) / stride + 1}; padding is -inf. */
public final class MaxPool2d implements Layer {

    /** The settings of a max pooling: its window, whose stride defaults to the kernel, as in PyTorch. */
    public record Config(Window.Spec window) {
        /** Checks the sizes, and that explicit padding is at most half the kernel, as in PyTorch. */
        public Config {
            window.check("MaxPool2d");
            PoolWindow.checkPadding("MaxPool2d", window.padding(), window.kH(), window.kW());
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
        return new MaxPool2d(new Config(Window.Spec.of(kernelH, kernelW, kernelH, kernelW)));
    }

    /** With stride {@code s} along both height and width. */
    public MaxPool2d withStride(int s) {
        return withStride(s, s);
    }

    /** With stride {@code h} along the height and {@code w} along the width. */
    public MaxPool2d withStride(int h, int w) {
        return new MaxPool2d(new Config(config.window.withStride(h, w)));
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
        return new MaxPool2d(new Config(config.window.withPadding(p)));
    }

    /** With dilation {@code d} along both axes: window taps {@code d} pixels apart. */
    public MaxPool2d withDilation(int d) {
        return withDilation(d, d);
    }

    /** With dilation {@code h} along the height and {@code w} along the width. */
    public MaxPool2d withDilation(int h, int w) {
        return new MaxPool2d(new Config(config.window.withDilation(h, w)));
    }

    /** With another rule for windows that do not tile the input; {@link Fit#CEIL} is PyTorch's {@code ceil_mode}. */
    public MaxPool2d withFit(Fit f) {
        return new MaxPool2d(new Config(config.window.withFit(f)));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        geometry = PoolWindow.resolve(type(), in, config.window);
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
        Map<String, Object> m = Configs.map();
        config.window.write(m);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static MaxPool2d fromConfig(Map<String, Object> map) {
        return new MaxPool2d(new Config(Window.Spec.read(Configs.read("MaxPool2d", map), true)));
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
        Window.Spec w = config.window;
        StringBuilder sb = new StringBuilder("MaxPool2d(kernel=").append(Conv2d.pair(w.kH(), w.kW()));
        w.describe(sb, true);
        w.describeFit(sb);
        return sb.append(')').toString();
    }
}
