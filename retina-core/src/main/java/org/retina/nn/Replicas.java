package org.retina.nn;

import java.util.function.Supplier;

/**
 * The replicas of a data-parallel run, as the layers that must see the whole batch (batch norm) meet them: while a
 * {@link Sum} is bound on a thread, batch norm in training adds its statistics up over every replica, so that N
 * replicas on N shards compute what one model computes on the whole batch (synchronized batch norm).
 */
public final class Replicas {
    private static final ScopedValue<Sum> CURRENT = ScopedValue.newInstance();

    private Replicas() {
    }

    /** Adds arrays up over all replicas: every replica calls it with its own values, in the same order of calls. */
    @FunctionalInterface
    public interface Sum {
        /** Replaces {@code values} on every replica by their element-wise sum over all replicas. */
        void sum(double[] values);
    }

    /** Runs {@code work} with {@code sum} bound: the batch norm layers it runs synchronize through it. */
    public static <T> T call(Sum sum, Supplier<T> work) {
        return ScopedValue.where(CURRENT, sum).call(work::get);
    }

    /** The sum bound on this thread, or null outside a data-parallel step. */
    static Sum current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }
}
