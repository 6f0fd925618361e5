package org.retina.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.retina.kernel.ReduceKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * The mean, sum or maximum over some per-sample axes (0 = the first dim after the batch), keeping them as dims of
 * size 1 or dropping them: ONNX's {@code ReduceMean}, {@code ReduceSum} and {@code ReduceMax}, PyTorch's
 * {@code x.mean(dims, keepdim)}. Over the spatial axes of an image, {@link GlobalAvgPool2d} and
 * {@link GlobalMaxPool2d} do the same faster. The maximum's gradient goes to the first maximal element.
 */
public final class Reduce implements Layer {

    /** The reduction. */
    public enum Op {
        /** The mean. */
        MEAN(ReduceKernels.MEAN),
        /** The sum. */
        SUM(ReduceKernels.SUM),
        /** The maximum. */
        MAX(ReduceKernels.MAX);

        private final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /**
     * @param op       the reduction
     * @param axes     the per-sample axes reduced, at least one, each once
     * @param keepDims whether the reduced axes stay as dims of size 1
     */
    public record Config(Op op, List<Integer> axes, boolean keepDims) {
        /** Checks the op and the axes (that they exist is checked at build). */
        public Config {
            if (op == null) {
                throw new IllegalArgumentException("Reduce: op is missing, expected one of " + List.of(Op.values()));
            }
            if (axes == null || axes.isEmpty() || axes.stream().distinct().count() != axes.size()
                    || axes.stream().anyMatch(a -> a == null || a < 0)) {
                throw new IllegalArgumentException("Reduce: axes " + axes + ", expected one or more distinct"
                        + " per-sample axes (0 = the first dim after the batch)");
            }
            axes = axes.stream().sorted().toList();
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Reduce",
            new Config(Op.MEAN, List.of(0), true)).required("op", "axes");

    private final Config config;
    private Shape in;
    private Shape out;
    private int[] outStride;
    private int[] argmax;

    /** A reduction with the given settings. */
    public Reduce(Config config) {
        this.config = config;
    }

    /** {@code op} over per-sample {@code axes}, keeping them as dims of size 1 when {@code keepDims}. */
    public static Reduce of(Op op, boolean keepDims, int... axes) {
        return new Reduce(new Config(op, Arrays.stream(axes).boxed().toList(), keepDims));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        int rank = in.rank();
        if (config.axes.getLast() >= rank) {
            throw new ShapeException(type(), "input " + in + " has no axis " + config.axes.getLast() + " (its axes are"
                    + " 0.." + (rank - 1) + ")");
        }
        if (!config.keepDims && config.axes.size() == rank) {
            throw new ShapeException(type(), "input " + in + ": reducing every axis without keepDims leaves no"
                    + " dims per sample; keep the dims or reduce fewer axes");
        }
        int[] kept = new int[rank];
        int[] dims = in.dims();
        outStride = new int[rank];
        int step = 1;
        for (int d = rank - 1; d >= 0; d--) {
            boolean reduced = config.axes.contains(d);
            kept[d] = reduced ? 1 : dims[d];
            outStride[d] = reduced ? 0 : step;
            step *= kept[d];
        }
        this.in = in;
        out = config.keepDims ? Shape.of(kept) : Shape.of(java.util.stream.IntStream.range(0, rank)
                .filter(d -> !config.axes.contains(d)).map(d -> dims[d]).toArray());
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = Tensor.zeros(out.withBatch(n));
        int[] arg = config.op == Op.MAX ? new int[n * out.size()] : null;
        ReduceKernels.reduce(config.op.code, x.data(), y.data(), arg, n, in.dims(), outStride, in.size(), out.size());
        if (mode == Mode.TRAIN) {
            argmax = arg;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = gradOut.dim(0);
        Tensor gradIn = Tensor.zeros(in.withBatch(n));
        ReduceKernels.reduceBackward(config.op.code, gradOut.data(), gradIn.data(), argmax, n, in.dims(), outStride,
                in.size(), out.size());
        argmax = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Reduce";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Reduce fromConfig(Map<String, Object> map) {
        return new Reduce(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
