package org.retina.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retina.optim.Adam;
import org.retina.optim.Optimizer;
import org.retina.optim.RmsProp;
import org.retina.optim.Sgd;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;

/**
 * An {@link Optimizer}'s update on the device: its slots (momentum, moments) are flat buffers laid out like the
 * parameters, so consecutive trainable parameters at the same step count are updated by one kernel launch.
 * State goes to and from the host optimizer in its own format ({@link Optimizer#state()}).
 */
final class DeviceOptimizer {
    /** Blocks of the sum of squares' first pass (fixed, so the order of summation is too). */
    private static final int CLIP_BLOCKS = 256;
    private final CudaEngine engine;
    private final Optimizer host;
    private final Map<Parameter, Long> offsets;
    private final List<String> paths;
    private final List<Parameter> params;
    private final long[] steps;
    private final Map<String, Long> slots = new LinkedHashMap<>();

    DeviceOptimizer(CudaEngine engine, Optimizer host, Map<Parameter, Long> offsets, long floats) {
        this.engine = engine;
        this.host = host;
        this.offsets = offsets;
        paths = new ArrayList<>(host.parameters().keySet());
        params = new ArrayList<>(host.parameters().values());
        steps = new long[params.size()];
        List<String> names = switch (host.config()) {
            case Sgd.Config c -> c.momentum() > 0 ? List.of("momentum_buffer") : List.of();
            case Adam.Config c -> List.of("exp_avg", "exp_avg_sq");
            case RmsProp.Config c -> {
                List<String> l = new ArrayList<>(List.of("square_avg"));
                if (c.momentum() > 0) {
                    l.add("momentum_buffer");
                }
                if (c.centered()) {
                    l.add("grad_avg");
                }
                yield l;
            }
        };
        Gpu gpu = engine.gpu;
        for (String s : names) {
            long p = gpu.memory.allocate(4 * floats);
            gpu.zero(p, floats);
            slots.put(s, p);
        }
        for (Map.Entry<String, Tensor> e : host.state().entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            int i = paths.indexOf(e.getKey().substring(0, slash));
            String slot = e.getKey().substring(slash + 1);
            float[] v = e.getValue().data();
            if (slot.equals("step")) {
                steps[i] = ((long) v[0] << 24) | (long) v[1];
            } else if (slots.containsKey(slot)) {
                gpu.upload(v, 0, v.length, slots.get(slot) + 4 * offsets.get(params.get(i)));
            }
        }
    }

    private boolean updated(int i) {
        Parameter p = params.get(i);
        return p.trainable() && !p.isBuffer();
    }

    /** A stretch of the flat buffers: consecutive trainable parameters {@code [first, end)} at one step count. */
    private record Run(int first, int end, long from, long count) {
    }

    /** The runs of trainable parameters, each updated by one launch. */
    private List<Run> runs() {
        List<Run> out = new ArrayList<>();
        int i = 0;
        while (i < params.size()) {
            if (!updated(i)) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < params.size() && updated(j) && steps[j] == steps[i]
                    && offsets.get(params.get(j)) > offsets.get(params.get(j - 1))) {
                j++;
            }
            long from = offsets.get(params.get(i));
            Parameter lastParam = params.get(j - 1);
            out.add(new Run(i, j, from, offsets.get(lastParam) + lastParam.size() - from));
            i = j;
        }
        return out;
    }

    /** One update of every trainable parameter at {@code lr}. */
    void step(double lr) {
        for (Run r : runs()) {
            long t = steps[r.first] + 1;
            for (int k = r.first; k < r.end; k++) {
                steps[k] = t;
            }
            launch(r.from, r.count, t, lr);
        }
    }

    /**
     * Scales the trainable parameters' gradients so their joint L2 norm is at most {@code maxNorm}, as
     * {@code GradClip.byNorm} (PyTorch's {@code clip_grad_norm_}) does; returns the norm before clipping.
     */
    double clip(double maxNorm) {
        Gpu gpu = engine.gpu;
        long base = engine.grad(params.getFirst()) - 4 * offsets.get(params.getFirst());
        long part = engine.scratch(8L * (CLIP_BLOCKS + 1));
        List<Run> runs = runs();
        for (int k = 0; k < runs.size(); k++) {
            gpu.kernels.launch("sumsq_part", CLIP_BLOCKS, Kernels.BLOCK, base + 4 * runs.get(k).from,
                    runs.get(k).count, part, k == 0 ? 0 : 1);
        }
        if (runs.isEmpty()) {
            return 0;
        }
        long total = part + 8L * CLIP_BLOCKS;
        gpu.kernels.launch("sum_parts", 1, Kernels.BLOCK, part, CLIP_BLOCKS, total);
        double norm = Math.sqrt(gpu.downloadDouble(total));
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1) {
            for (Run r : runs) {
                gpu.kernels.run("scale", r.count, base + 4 * r.from, r.count, (float) factor);
            }
        }
        return norm;
    }

    private long slot(String name, long from) {
        Long p = slots.get(name);
        return p == null ? 0L : p + 4 * from;
    }

    private void launch(long from, long n, long t, double lr) {
        Kernels k = engine.gpu.kernels;
        long p = engine.value(params.getFirst()) - 4 * offsets.get(params.getFirst()) + 4 * from;
        long g = engine.grad(params.getFirst()) - 4 * offsets.get(params.getFirst()) + 4 * from;
        switch (host.config()) {
            case Sgd.Config c -> k.run("sgd", n, p, g, slot("momentum_buffer", from), n, lr, c.momentum(),
                    c.dampening(), c.nesterov() ? 1 : 0, c.weightDecay(), t == 1 ? 1 : 0);
            case Adam.Config c -> {
                double bc1 = 1 - Math.pow(c.beta1(), t);
                double bc2 = Math.sqrt(1 - Math.pow(c.beta2(), t));
                k.run("adam", n, p, g, slot("exp_avg", from), slot("exp_avg_sq", from), n, lr, c.beta1(), c.beta2(),
                        c.eps(), c.weightDecay(), c.decoupled() ? 1 : 0, lr / bc1, bc2);
            }
            case RmsProp.Config c -> k.run("rmsprop", n, p, g, slot("square_avg", from),
                    slot("momentum_buffer", from), slot("grad_avg", from), n, lr, c.alpha(), c.eps(), c.weightDecay(),
                    c.momentum());
        }
    }

    /** Writes the device state into the host optimizer. */
    void download() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            if (steps[i] == 0) {
                continue;
            }
            Parameter p = params.get(i);
            for (Map.Entry<String, Long> s : slots.entrySet()) {
                Tensor t = Tensor.zeros(p.shape());
                engine.gpu.download(s.getValue() + 4 * offsets.get(p), t.data(), 0, p.size());
                state.put(paths.get(i) + "/" + s.getKey(), t);
            }
            long st = steps[i];
            state.put(paths.get(i) + "/step", Tensor.of(new float[] {(float) (st >>> 24), (float) (st & 0xFFFFFF)}, 2));
        }
        host.loadState(state);
    }
}
