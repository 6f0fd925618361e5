package org.retina.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.retina.kernel.BlockKernels;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.ConvKernels;
import org.retina.kernel.Epilogue;
import org.retina.kernel.Workspace;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A convolution block, {@code y = pool(act(bn(conv(x))))} with each of batch norm, activation (ReLU, tanh, ReLU6,
 * SiLU) and 2x2 stride-2 pooling (max or average) optional, run as one step: the convolution writes {@code z}, one
 * pass per channel applies the rest (in evaluation without pooling, the convolution itself as it stores), and
 * backward mirrors it, so the tensors between the parts are never written.
 * Made from a {@link Spec} it owns its parts (parameters {@code conv.weight}, {@code bn.weight}, ...); a model's
 * fusion plan makes one over its own built layers ({@link #over}), whose parameters and running statistics are then
 * used and updated exactly as when they run alone. A frozen batch norm, one synchronized over replicas, or a pooling
 * the fused kernels cannot run, makes the block run its parts one after another.
 */
public final class ConvBlock implements Layer {
    /** The activation of a block; the kernels' ({@code BlockKernels.Act}) carry the same names, NONE aside. */
    public enum Activation {
        /** No activation. */ NONE,
        /** {@link ReLU}. */ RELU,
        /** {@link Tanh}. */ TANH,
        /** {@link Clip} from 0 to 6. */ RELU6,
        /** {@link SiLU}: fused in evaluation; training runs its block part by part (no fused SiLU derivative). */ SILU
    }

    /** The pooling of a block: none, or a 2x2 window moved by 2. */
    public enum Pool {
        /** No pooling. */ NONE,
        /** {@link MaxPool2d} of 2. */ MAX,
        /** {@link AvgPool2d} of 2. */ AVG
    }

    /** The parts of a block: the convolution, the batch norm or null, the activation and the pooling. */
    public record Spec(Conv2d.Config conv, BatchNorm2d.Config batchNorm, Activation activation, Pool pool) {
        /** Checks that the convolution, activation and pooling are given (batch norm may be null). */
        public Spec {
            Objects.requireNonNull(conv, "ConvBlock: the convolution's config");
            Objects.requireNonNull(activation, "ConvBlock: the activation (NONE for none)");
            Objects.requireNonNull(pool, "ConvBlock: the pooling (NONE for none)");
        }
    }

    private final Spec spec;
    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final Layer act;
    private final Layer pool;
    private final boolean owns;
    /** The parts in order: the convolution, then those present of batch norm, activation and pooling. */
    private final List<Layer> parts;
    private BlockKernels.Tail tail;
    private BlockKernels.Stats stats;
    private boolean fused;
    private Tensor input;
    private boolean ranParts;
    /** The convolution's output, kept from the training forward for backward; its activations for tanh's. */
    private float[] z;
    private float[] keep;
    private int[] arg;
    private final Reusable zs = new Reusable();
    private final Reusable keeps = new Reusable();
    private final Reusable gzs = new Reusable();
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    /** A block owning new parts as {@code spec} says, built when its model is. */
    public ConvBlock(Spec spec) {
        this.spec = spec;
        conv = new Conv2d(spec.conv(), "conv.");
        bn = spec.batchNorm() == null ? null : new BatchNorm2d(spec.batchNorm(), "bn.");
        act = switch (spec.activation()) {
            case NONE -> null;
            case RELU -> ReLU.of();
            case TANH -> Tanh.of();
            case RELU6 -> Clip.relu6();
            case SILU -> SiLU.of();
        };
        pool = switch (spec.pool()) {
            case NONE -> null;
            case MAX -> MaxPool2d.of(2);
            case AVG -> AvgPool2d.of(2);
        };
        owns = true;
        parts = partsOf(conv, bn, act, pool);
    }

    /** A block of {@code conv} alone: {@code ConvBlock.of(Conv2d.of(16, 3)).withBatchNorm().withActivation(RELU)}. */
    public static ConvBlock of(Conv2d conv) {
        return new ConvBlock(new Spec(conv.settings(), null, Activation.NONE, Pool.NONE));
    }

    /** With a batch norm of PyTorch's defaults after the convolution. */
    public ConvBlock withBatchNorm() {
        return withBatchNorm(BatchNorm2d.of());
    }

    /** With this batch norm after the convolution. */
    public ConvBlock withBatchNorm(BatchNorm2d b) {
        return new ConvBlock(new Spec(spec.conv(), b.settings(), spec.activation(), spec.pool()));
    }

    /** With this activation. */
    public ConvBlock withActivation(Activation a) {
        return new ConvBlock(new Spec(spec.conv(), spec.batchNorm(), a, spec.pool()));
    }

    /** With this pooling. */
    public ConvBlock withPool(Pool p) {
        return new ConvBlock(new Spec(spec.conv(), spec.batchNorm(), spec.activation(), p));
    }

    private ConvBlock(Conv2d conv, BatchNorm2d bn, Layer act, Activation a, Layer pool, Pool p) {
        this.spec = new Spec(conv.settings(), bn == null ? null : bn.settings(), a, p);
        this.conv = conv;
        this.bn = bn;
        this.act = act;
        this.pool = pool;
        owns = false;
        parts = partsOf(conv, bn, act, pool);
        init(conv.geometry());
    }

    private static List<Layer> partsOf(Layer... present) {
        return java.util.Arrays.stream(present).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * A block over {@code layers}, built already and in {@link BlockPart.Stage} order (a {@link Conv2d} first), that runs them
     * as one step: what a model's fusion plan does with a chain no one else reads from.
     */
    public static ConvBlock over(List<Layer> layers) {
        if (layers.isEmpty() || !(layers.getFirst() instanceof Conv2d c) || c.geometry() == null) {
            throw new IllegalArgumentException("ConvBlock: a block starts with a built Conv2d, got " + layers);
        }
        BatchNorm2d b = null;
        Layer a = null;
        Layer p = null;
        Activation activation = Activation.NONE;
        Pool pooling = Pool.NONE;
        BlockPart.Stage last = BlockPart.Stage.CONV;
        for (Layer l : layers.subList(1, layers.size())) {
            BlockPart part = l.blockPart();
            if (part == null || part.stage().compareTo(last) <= 0) {
                throw new IllegalArgumentException("ConvBlock: " + l + " cannot follow " + last + " in a block");
            }
            last = part.stage();
            switch (part.stage()) {
                case NORM -> b = (BatchNorm2d) l;
                case ACTIVATION -> {
                    a = l;
                    activation = part.activation();
                }
                case POOL -> {
                    p = l;
                    pooling = part.pool();
                }
                case CONV -> throw new IllegalStateException("unreachable: CONV sorts first");
            }
        }
        return new ConvBlock(c, b, a, activation, p, pooling);
    }

    /** The parts, as their layer configs say. */
    public Spec spec() {
        return spec;
    }

    /** The parts in order: the convolution, then those present of batch norm, activation and pooling. */
    public List<Layer> layers() {
        return parts;
    }

    @Override
    public Shape build(Shape in) {
        if (!owns) {
            throw new IllegalStateException("ConvBlock: a block over a model's layers is built with them");
        }
        Shape s = in;
        for (Layer l : parts) {
            try {
                s = l.build(s);
            } catch (ShapeException e) {
                throw new ShapeException(type(), e.getMessage());
            }
        }
        init(conv.geometry());
        return s;
    }

    private void init(ConvGeometry g) {
        BlockKernels.Pool p = null;
        if (pool != null) {
            p = new BlockKernels.Pool(((Windowed<?>) pool).geometry(), spec.pool() == Pool.MAX);
        }
        fused = p == null || BlockKernels.fits(p.geometry());
        Activation a = spec.activation();
        tail = new BlockKernels.Tail(a == Activation.NONE ? BlockKernels.Act.IDENTITY
                : BlockKernels.Act.valueOf(a.name()), p);
        stats = BlockKernels.Stats.of(g.outC());
    }

    @Override
    public void initialize(Rng rng) {
        if (owns) {
            conv.initialize(rng);
            if (bn != null) {
                bn.initialize(rng);
            }
        }
    }

    /**
     * Whether a pass in {@code mode} runs the parts one by one: always when the fused kernels cannot take the
     * pooling; in training too for SiLU, and when the batch norm is frozen (it normalizes with its running
     * statistics) or sums its statistics over replicas.
     */
    private boolean runsParts(Mode mode) {
        return !fused || mode == Mode.TRAIN && (spec.activation() == Activation.SILU
                || bn != null && (bn.frozen() || Replicas.current() != null));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (runsParts(mode)) {
            Tensor y = x;
            for (Layer l : parts) {
                y = l.forward(y, mode);
            }
            if (mode == Mode.TRAIN) {
                ranParts = true;
                input = x;
            }
            return y;
        }
        ConvGeometry g = conv.geometry();
        int n = x.dim(0);
        int zLen = n * g.outSize();
        BlockKernels.Planes planes = new BlockKernels.Planes(n, g.outC(), g.outPlane());
        Shape outShape = outputShape(n);
        float[] w = conv.weight().value().data();
        float[] bias = conv.bias() == null ? null : conv.bias().value().data();
        if (mode == Mode.EVAL) {
            Tensor y = Buffers.output(outShape);
            float[] sc = null;
            float[] sh = null;
            if (bn != null) {
                sc = new float[g.outC()];
                sh = new float[g.outC()];
                BlockKernels.evalAffine(norm(), sc, sh);
            }
            if (tail.pool() == null) { // the convolution applies the rest as it stores its output
                ConvKernels.forward(x.data(), w, bias, y.data(), n, g, new Epilogue(sc, sh, tail.act()));
                return y;
            }
            float[] zz = Workspace.get(Workspace.BLOCK_Z, zLen);
            ConvKernels.forward(x.data(), w, bias, zz, n, g);
            BlockKernels.evalForward(zz, planes, sc, sh, tail, y.data());
            return y;
        }
        if (bn != null && n * g.outPlane() < 2) {
            throw new IllegalArgumentException("BatchNorm2d: training needs more than 1 value per channel, got input "
                    + Shape.of(n, g.outC(), g.outH(), g.outW()) + "; use a batch of 2 or more, or evaluate");
        }
        Shape zShape = Shape.of(n, g.outC(), g.outH(), g.outW());
        z = zs.get(zShape).data();
        ConvKernels.forward(x.data(), w, bias, z, n, g);
        Tensor y = out.get(outShape);
        keep = tail.act() == BlockKernels.Act.TANH ? keeps.get(zShape).data() : null;
        arg = tail.pool() != null && tail.pool().max() ? out.ints(y.size()) : null;
        BlockKernels.trainForward(z, planes, bn == null ? null : norm(), stats, tail, y.data(), arg, keep);
        ranParts = false;
        input = x;
        return y;
    }

    private Shape outputShape(int n) {
        ConvGeometry g = conv.geometry();
        BlockKernels.Pool p = tail.pool();
        return p == null ? Shape.of(n, g.outC(), g.outH(), g.outW())
                : Shape.of(n, g.outC(), p.geometry().outH(), p.geometry().outW());
    }

    /** The batch norm's arrays; its gradients only where it learns. */
    private BlockKernels.Norm norm() {
        Parameter gamma = bn.weight();
        boolean learns = gamma != null && gamma.trainable();
        return new BlockKernels.Norm(data(gamma), data(bn.bias()), learns ? gamma.grad().data() : null,
                learns ? bn.bias().grad().data() : null, data(bn.runningMean()), data(bn.runningVar()),
                (float) bn.settings().eps(), (float) bn.settings().momentum());
    }

    private static float[] data(Parameter p) {
        return p == null ? null : p.value().data();
    }

    /** Fused, none (backward recomputes all from the convolution's output); run part by part, as its last part. */
    @Override
    public boolean backwardReadsOutput() {
        return ranParts && parts.getLast().backwardReadsOutput();
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return backward(gradOut, true);
    }

    @Override
    public void backwardParameters(Tensor gradOut) {
        backward(gradOut, false);
    }

    private Tensor backward(Tensor gradOut, boolean inputGradient) {
        if (input == null) {
            throw new IllegalStateException("ConvBlock: backward needs a training forward first");
        }
        if (ranParts) {
            Tensor g = gradOut;
            for (int i = parts.size() - 1; i > 0; i--) {
                Tensor below = parts.get(i).backward(g);
                // between two parts: the model's pass never sees this gradient, so the block gives it back
                Buffers.releaseConsumed(g, gradOut, java.util.Collections.singletonList(below));
                g = below;
            }
            input = null;
            Tensor result = inputGradient ? conv.backward(g) : null;
            if (!inputGradient) {
                conv.backwardParameters(g);
            }
            Buffers.releaseConsumed(g, gradOut, java.util.Collections.singletonList(result));
            return result;
        }
        ConvGeometry g = conv.geometry();
        int n = input.dim(0);
        // the gradient at the convolution's output, for this call only: over gradOut where allowed, else drawn
        boolean over = tail.pool() == null && Buffers.mayOverwrite(gradOut);
        Tensor gzTensor = over ? gradOut : gzs.gradient(Shape.of(n, g.outC(), g.outH(), g.outW()));
        float[] gz = gzTensor.data();
        BlockKernels.trainBackward(gradOut.data(), z, new BlockKernels.Planes(n, g.outC(), g.outPlane()),
                bn == null ? null : norm(), stats, tail, arg, keep, gz);
        if (conv.learns()) {
            ConvKernels.backwardWeights(input.data(), gz, conv.weight().grad().data(),
                    conv.bias() == null ? null : conv.bias().grad().data(), n, g);
        }
        Tensor result = null;
        if (inputGradient) {
            result = grad.gradient(input.shape());
            ConvKernels.backwardData(gz, conv.weight().value().data(), result.data(), n, g);
        }
        Buffers.releaseConsumed(gzTensor, gradOut, List.of());
        input = null;
        return result;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(conv.parameters());
        if (bn != null) {
            p.addAll(bn.parameters());
        }
        return p;
    }

    @Override
    public List<Parameter> buffers() {
        return bn == null ? List.of() : bn.buffers();
    }

    @Override
    public long macs() {
        return conv.macs() + (pool == null ? 0 : pool.macs());
    }

    @Override
    public int droppedInputPixels() {
        return conv.droppedInputPixels();
    }

    @Override
    public String type() {
        return "ConvBlock";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("conv", conv.config());
        if (bn != null) {
            m.put("batchNorm", bn.config());
        }
        m.put("activation", spec.activation().name().toLowerCase(java.util.Locale.ROOT));
        m.put("pool", spec.pool().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static ConvBlock fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("ConvBlock", map);
        Conv2d c = Conv2d.fromConfig(r.section("conv"));
        BatchNorm2d b = r.has("batchNorm") ? BatchNorm2d.fromConfig(r.section("batchNorm")) : null;
        return new ConvBlock(new Spec(c.settings(), b == null ? null : b.settings(),
                r.choice("activation", Activation.class, Activation.NONE), r.choice("pool", Pool.class, Pool.NONE)));
    }

    /** {@code ConvBlock(Conv2d(3, 16, kernel=3), BatchNorm2d(16), ReLU, MaxPool2d(2))}: its parts. */
    @Override
    public String toString() {
        return "ConvBlock(" + String.join(", ", parts.stream().map(Object::toString).toList()) + ")";
    }
}
