package org.retina.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;

/**
 * Updates a model's trainable parameters from their gradients. State (momentum, moments, step counts) is kept per
 * parameter, keyed by the parameter's path, so it can be saved in a checkpoint and restored. Frozen parameters
 * ({@code trainable == false}) are skipped at every step.
 */
public abstract class Optimizer {
    private final Map<String, Parameter> params;
    private final Map<String, Map<String, float[]>> state = new LinkedHashMap<>();
    private final Map<String, Long> steps = new LinkedHashMap<>();
    private double learningRate;

    /** An optimizer over {@code params} (path to parameter, in model order) at a finite rate above 0. */
    protected Optimizer(Map<String, Parameter> params, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + learningRate
                    + ", expected a finite number > 0");
        }
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.learningRate = learningRate;
    }

    /** Applies one update to every trainable parameter. */
    public final void step() {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            if (!p.trainable() || p.isBuffer()) {
                continue;
            }
            long t = steps.merge(e.getKey(), 1L, Long::sum);
            update(p, state.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()), t);
        }
    }

    /** Updates one parameter; {@code slots} holds its state arrays (empty at the first step), {@code t} from 1. */
    protected abstract void update(Parameter p, Map<String, float[]> slots, long t);

    /** The state array {@code name} of a parameter, created as zeros on first use. */
    protected static float[] slot(Map<String, float[]> slots, String name, Parameter p) {
        return slots.computeIfAbsent(name, k -> new float[p.size()]);
    }

    /** Clears the gradients of every parameter this optimizer holds, before the next backward pass. */
    public final void zeroGrad() {
        for (Parameter p : params.values()) {
            p.zeroGrad();
        }
    }

    /** The current rate, which a schedule may have changed from the base rate. */
    public final double learningRate() {
        return learningRate;
    }

    /** Sets the rate for the next steps, as a schedule does; 0 is allowed, negative is not. */
    public final void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate " + lr + ", expected a finite number >= 0");
        }
        this.learningRate = lr;
    }

    /** The parameters by path, in model order, unmodifiable; frozen ones are included and skipped. */
    public final Map<String, Parameter> parameters() {
        return params;
    }

    /** The number of state arrays each parameter gets (for memory estimates). */
    public abstract int slotsPerParameter();

    /** The optimizer's name and settings, for logs, reports and checkpoints. */
    public abstract OptimizerConfig config();

    /** The state as tensors named {@code <parameter path>/<slot>}, plus {@code <path>/step}. */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, float[]>> e : state.entrySet()) {
            for (Map.Entry<String, float[]> s : e.getValue().entrySet()) {
                out.put(e.getKey() + "/" + s.getKey(), Tensor.wrap(s.getValue().clone(),
                        params.get(e.getKey()).shape()));
            }
        }
        for (Map.Entry<String, Long> e : steps.entrySet()) {
            long t = e.getValue();
            // two float halves keep step counts exact far beyond float's 2^24
            out.put(e.getKey() + "/step", Tensor.of(new float[] {(float) (t >>> 24), (float) (t & 0xFFFFFF)}, 2));
        }
        return out;
    }

    /** Restores state saved by {@link #state()}; every entry must name a parameter of this optimizer. */
    public final void loadState(Map<String, Tensor> saved) {
        state.clear();
        steps.clear();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            String path = slash < 0 ? e.getKey() : e.getKey().substring(0, slash);
            String slotName = slash < 0 ? "" : e.getKey().substring(slash + 1);
            Parameter p = params.get(path);
            if (p == null) {
                unknown.add(e.getKey());
                continue;
            }
            float[] v = e.getValue().data();
            if (slotName.equals("step")) {
                steps.put(path, ((long) v[0] << 24) | (long) v[1]);
            } else {
                if (!e.getValue().shape().equals(p.shape())) {
                    throw new IllegalArgumentException("optimizer state " + e.getKey() + " has shape "
                            + e.getValue().shape() + ", the parameter " + p.shape());
                }
                state.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(slotName, v.clone());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("optimizer state names parameters the model does not have: "
                    + unknown);
        }
    }

    @Override
    public String toString() {
        return config().toString();
    }
}
