package org.retina.cuda;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.retina.device.Accelerator;
import org.retina.loss.Loss;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Optimizer;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;

/**
 * A built model compiled for one GPU: every parameter, gradient, optimizer slot and activation lives in device
 * memory; a training step is the model's forward, softmax cross-entropy, backward and the optimizer's update, all
 * queued on one stream, with the batch copied in and the loss and predictions copied out.
 */
public final class CudaEngine implements Accelerator {
    /** Parameters start on 64-float boundaries (256 bytes), which cuDNN and cuBLAS prefer. */
    private static final int ALIGN = 64;

    final Gpu gpu;
    private final Model model;
    private final SoftmaxCrossEntropy loss;
    private final boolean gradients;
    private final List<Op> ops = new ArrayList<>();
    private final int[][] inputs;
    private final Map<Parameter, Long> offsets = new IdentityHashMap<>();
    private final long params;
    private final long grads;
    private final long floats;
    private final DeviceOptimizer optimizer;
    private final long inputSize;
    private final int classes;
    private final long seed;
    private long dropoutOffset;
    private double clipNorm;
    private int capacity;
    private int prepared = -1;
    private long input;
    private long inputGrad;
    private long labels;
    /** Per-row losses, then the mean loss and the predictions (copied out together). */
    private long lossRows;
    private long result;
    private long[] acts;
    private long[] grad;
    /** Per op, the device pointers of its inputs (set when the buffers are made). */
    private long[][] xs;
    /** Per op, reused each backward: where its inputs' gradients go, and whether to add to them. */
    private final long[][] gxs;
    private final boolean[][] accs;
    private final boolean[] written;
    /** The mean loss and the predictions of a step, as copied out. */
    private float[] stepOut;
    private long scratch;
    private long scratchBytes;
    private boolean closed;

    /**
     * Compiles {@code model} for device 0. {@code loss} and {@code optimizer} null give an inference engine;
     * {@code gradients} keeps gradient buffers even then (for {@link #forwardBackward}). {@code tf32} lets cuDNN
     * use TF32 tensor cores for convolutions.
     */
    public CudaEngine(Model model, Loss loss, Optimizer hostOptimizer, long seed, boolean tf32, boolean gradients) {
        if (!model.isBuilt()) {
            throw new IllegalStateException("cuda: build the model before compiling it for the GPU");
        }
        if (loss != null && !(loss instanceof SoftmaxCrossEntropy)) {
            throw new IllegalArgumentException("cuda: training uses softmax cross-entropy; " + loss.name()
                    + " runs on the cpu device");
        }
        if (loss != null && model.outputShape().rank() != 1) {
            throw new IllegalArgumentException("cuda: the model's output " + model.outputShape()
                    + " is not a vector of class scores per sample");
        }
        this.model = model;
        this.loss = (SoftmaxCrossEntropy) loss;
        this.gradients = gradients || hostOptimizer != null;
        this.seed = seed;
        gpu = new Gpu(0, tf32);
        try {
            long total = 0;
            for (Parameter p : model.namedParameters().values()) {
                offsets.put(p, total);
                total += (p.size() + ALIGN - 1) / ALIGN * ALIGN;
            }
            floats = Math.max(total, ALIGN);
            params = gpu.memory.allocate(4 * floats);
            grads = this.gradients ? gpu.memory.allocate(4 * floats) : 0;
            gpu.zero(params, floats);
            if (grads != 0) {
                gpu.zero(grads, floats);
            }
            for (Parameter p : model.namedParameters().values()) {
                gpu.upload(p.value().data(), 0, p.size(), value(p));
            }
            List<Model.Node> nodes = model.nodes();
            inputs = new int[nodes.size()][];
            gxs = new long[nodes.size()][];
            accs = new boolean[nodes.size()][];
            written = new boolean[nodes.size()];
            List<String> names = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                Model.Node node = nodes.get(i);
                inputs[i] = node.inputs().stream().mapToInt(s -> s.equals(Model.INPUT) ? -1 : names.indexOf(s))
                        .toArray();
                gxs[i] = new long[inputs[i].length];
                accs[i] = new boolean[inputs[i].length];
                ops.add(OpTable.compile(model, node, this));
                names.add(node.name());
            }
            inputSize = model.inputShape().size();
            classes = model.outputShape().size();
            optimizer = hostOptimizer == null ? null : new DeviceOptimizer(this, hostOptimizer, offsets, floats);
        } catch (RuntimeException e) {
            gpu.close();
            throw e;
        }
    }

    /** This engine clipping the gradients' joint norm at {@code maxNorm} before each update (0: never). */
    public CudaEngine withClipNorm(double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clip norm " + maxNorm + ", expected >= 0 (0 = no clipping)");
        }
        clipNorm = maxNorm;
        return this;
    }

    /** The names of the nodes that run on the CPU between copies, for lack of a GPU kernel. */
    public List<String> hostOps() {
        return ops.stream().filter(o -> o instanceof HostOp).map(o -> o.name).toList();
    }

    boolean training() {
        return gradients;
    }

    long seed() {
        return seed;
    }

    long nextOffset(long count) {
        long o = dropoutOffset;
        dropoutOffset += count;
        return o;
    }

    long value(Parameter p) {
        return params + 4 * offsets.get(p);
    }

    long grad(Parameter p) {
        return grads + 4 * offsets.get(p);
    }

    /** A device buffer of at least {@code bytes}, valid until the next call (work on the one stream is ordered). */
    long scratch(long bytes) {
        if (bytes > scratchBytes) {
            gpu.memory.release(scratch);
            scratch = gpu.memory.allocate(bytes);
            scratchBytes = bytes;
        }
        return scratch;
    }

    @Override
    public String description() {
        return "cuda:0 (" + gpu.name + ")";
    }

    /** Buffers for batches up to {@code n}, and each op prepared for exactly {@code n}. */
    private void ensure(int n) {
        if (n > capacity) {
            release();
            capacity = n;
            acts = new long[ops.size()];
            grad = new long[ops.size()];
            input = gpu.memory.allocate(4L * n * inputSize);
            if (gradients) {
                inputGrad = gpu.memory.allocate(4L * n * inputSize);
            }
            labels = gpu.memory.allocate(4L * n);
            lossRows = gpu.memory.allocate(4L * n);
            result = gpu.memory.allocate(4L * (n + 1));
            for (int i = 0; i < ops.size(); i++) {
                acts[i] = gpu.memory.allocate(4L * n * ops.get(i).outSize());
                if (gradients) {
                    grad[i] = gpu.memory.allocate(4L * n * ops.get(i).outSize());
                }
            }
            xs = new long[ops.size()][];
            for (int i = 0; i < ops.size(); i++) {
                xs[i] = new long[inputs[i].length];
                for (int k = 0; k < inputs[i].length; k++) {
                    xs[i][k] = inputs[i][k] < 0 ? input : acts[inputs[i][k]];
                }
            }
            stepOut = new float[n + 1];
        }
        if (n != prepared) {
            for (Op op : ops) {
                op.prepare(this, n);
            }
            prepared = n;
        }
    }

    private void release() {
        if (acts == null) {
            return;
        }
        gpu.sync();
        for (int i = 0; i < ops.size(); i++) {
            gpu.memory.release(acts[i]);
            gpu.memory.release(grad[i]);
        }
        for (long p : new long[] {input, inputGrad, labels, lossRows, result}) {
            gpu.memory.release(p);
        }
        inputGrad = 0;
        acts = null;
    }

    private int batchOf(Tensor x) {
        if (x.shape().rank() < 1 || !x.shape().dropFirst().equals(model.inputShape())) {
            throw new IllegalArgumentException("cuda: input " + x.shape() + ", the model expects (N, "
                    + model.inputShape().toString().substring(1));
        }
        return x.dim(0);
    }

    private void forwardAll(int n, boolean train) {
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).forward(this, n, xs[i], acts[i], train);
        }
    }

    /** Backward from {@code grad[last]}; the model input's gradient only when {@code inputGradient}. */
    private void backwardAll(int n, boolean inputGradient) {
        java.util.Arrays.fill(written, false);
        boolean inputWritten = false;
        written[ops.size() - 1] = true;
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            if (!written[i]) {
                for (Parameter p : op.parameters()) {
                    gpu.zero(grad(p), p.size());
                }
                continue;
            }
            int[] in = inputs[i];
            long[] gx = gxs[i];
            boolean[] acc = accs[i];
            java.util.Arrays.fill(gx, 0L);
            java.util.Arrays.fill(acc, false);
            for (int k = 0; k < in.length; k++) {
                if (in[k] >= 0) {
                    gx[k] = grad[in[k]];
                    acc[k] = written[in[k]];
                    written[in[k]] = true;
                } else if (inputGradient) {
                    gx[k] = inputGrad;
                    acc[k] = inputWritten;
                    inputWritten = true;
                }
            }
            op.backward(this, n, xs[i], acts[i], grad[i], gx, acc);
        }
    }

    private void upload(Tensor x, int n) {
        gpu.upload(x.data(), 0, (int) (n * inputSize), input);
    }

    @Override
    public double trainStep(Tensor x, int[] y, double learningRate, int[] predicted) {
        if (optimizer == null) {
            throw new IllegalStateException("cuda: this engine was opened for inference only");
        }
        int n = batchOf(x);
        if (y.length != n) {
            throw new IllegalArgumentException("cuda: " + y.length + " labels for a batch of " + n);
        }
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: label " + y[i] + " at " + i
                        + " is outside 0.." + (classes - 1) + " (the model has " + classes + " outputs)");
            }
        }
        ensure(n);
        upload(x, n);
        gpu.upload(y, labels);
        forwardAll(n, true);
        int last = ops.size() - 1;
        gpu.kernels.launch("ce_f", Kernels.warpGrid(n), Kernels.BLOCK, acts[last], labels, lossRows, grad[last],
                result + 4, n, classes, (float) loss.labelSmoothing(), 1f / n);
        gpu.kernels.launch("sum_scaled", 1, Kernels.BLOCK, lossRows, result, n, 1f / n);
        backwardAll(n, false);
        if (clipNorm > 0) {
            optimizer.clip(clipNorm);
        }
        optimizer.step(learningRate);
        float[] out = stepOut;
        gpu.download(result, out, 0, n + 1);
        for (int i = 0; i < n; i++) {
            predicted[i] = Float.floatToRawIntBits(out[i + 1]);
        }
        return out[0];
    }

    @Override
    public Tensor forward(Tensor x) {
        int n = batchOf(x);
        ensure(n);
        upload(x, n);
        forwardAll(n, false);
        Tensor out = Tensor.zeros(model.outputShape().withBatch(n));
        gpu.download(acts[ops.size() - 1], out.data(), 0, out.size());
        return out;
    }

    /**
     * One training-mode forward of {@code x} and backward of {@code gradOut}, for checking the GPU's arithmetic:
     * returns the output and the input's gradient, and leaves each parameter's gradient in its host {@code grad}
     * and the running statistics in the host model. Needs an engine opened with gradients.
     */
    public Tensor[] forwardBackward(Tensor x, Tensor gradOut) {
        if (!gradients) {
            throw new IllegalStateException("cuda: open the engine with gradients to run backward");
        }
        int n = batchOf(x);
        ensure(n);
        upload(x, n);
        forwardAll(n, true);
        int last = ops.size() - 1;
        gpu.upload(gradOut.data(), 0, gradOut.size(), grad[last]);
        backwardAll(n, true);
        Tensor y = Tensor.zeros(model.outputShape().withBatch(n));
        gpu.download(acts[last], y.data(), 0, y.size());
        Tensor gx = Tensor.zeros(x.shape());
        gpu.download(inputGrad, gx.data(), 0, gx.size());
        for (Parameter p : model.namedParameters().values()) {
            gpu.download(grad(p), p.grad().data(), 0, p.size());
        }
        for (Op op : ops) {
            op.download(this);
        }
        return new Tensor[] {y, gx};
    }

    /**
     * The optimizer's update at {@code lr} (after clipping, when set) from the gradients held on the host, for
     * checks of the update rules.
     */
    public void stepWithHostGradients(double lr) {
        for (Parameter p : model.namedParameters().values()) {
            gpu.upload(p.grad().data(), 0, p.size(), grad(p));
        }
        if (clipNorm > 0) {
            optimizer.clip(clipNorm);
        }
        optimizer.step(lr);
    }

    @Override
    public void synchronize() {
        gpu.sync();
        for (Parameter p : model.namedParameters().values()) {
            gpu.download(value(p), p.value().data(), 0, p.size());
        }
        for (Op op : ops) {
            op.download(this);
        }
        if (optimizer != null) {
            optimizer.download();
        }
    }

    @Override
    public void await() {
        gpu.sync();
    }

    /** The most device memory held at once, in bytes. */
    public long peakMemory() {
        return gpu.memory.peak();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        for (Op op : ops) {
            op.close(this);
        }
        gpu.close();
    }
}
