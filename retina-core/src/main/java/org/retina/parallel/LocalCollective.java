package org.retina.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A group of replicas in one process, one thread each. Each replica adds up its own chunk of the array over the
 * replicas in rank order, the arithmetic of {@link SocketCollective}, so that the two give the same bits.
 */
public final class LocalCollective implements Collective {
    private final Shared shared;
    private final int rank;
    /** This member's published copy and its chunk's sums, kept between calls: a step reduces the same sizes. */
    private float[] published = new float[0];
    private float[] sums = new float[0];

    private LocalCollective(Shared shared, int rank) {
        this.shared = shared;
        this.rank = rank;
    }

    /** The {@code size} members of a new group, rank 0 first; each must be used by its own thread. */
    public static List<Collective> group(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("LocalCollective: size " + size + ", expected 1 or more");
        }
        Shared s = new Shared(size);
        List<Collective> members = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            members.add(new LocalCollective(s, r));
        }
        return members;
    }

    /** What the members share: each one's published array, and a barrier between phases. */
    private static final class Shared {
        final float[][] floats;
        final double[][] doubles;
        final int[] offsets;
        final CyclicBarrier barrier;

        Shared(int size) {
            floats = new float[size][];
            doubles = new double[size][];
            offsets = new int[size];
            barrier = new CyclicBarrier(size);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return shared.floats.length;
    }

    @Override
    public void allReduce(float[] data, int off, int len) {
        int n = size();
        if (published.length != len) {
            published = new float[len];
        }
        float[] mine = published;
        System.arraycopy(data, off, mine, 0, len);
        shared.floats[rank] = mine;
        await();
        int from = Collective.chunkStart(len, n, rank);
        int to = Collective.chunkStart(len, n, rank + 1);
        if (sums.length != to - from) {
            sums = new float[to - from];
        }
        float[] acc = sums;
        System.arraycopy(shared.floats[0], from, acc, 0, acc.length);
        for (int r = 1; r < n; r++) {
            float[] x = shared.floats[r];
            for (int i = 0; i < acc.length; i++) {
                acc[i] += x[from + i];
            }
        }
        await();
        // every replica has read what it needs: publish the sums in place of the inputs
        System.arraycopy(acc, 0, mine, from, acc.length);
        await();
        for (int r = 0; r < n; r++) {
            int f = Collective.chunkStart(len, n, r);
            int t = Collective.chunkStart(len, n, r + 1);
            System.arraycopy(shared.floats[r], f, data, off + f, t - f);
        }
        await();
    }

    @Override
    public void allReduce(double[] data) {
        int n = size();
        shared.doubles[rank] = data.clone();
        await();
        double[] acc = shared.doubles[0].clone();
        for (int r = 1; r < n; r++) {
            double[] x = shared.doubles[r];
            for (int i = 0; i < acc.length; i++) {
                acc[i] += x[i];
            }
        }
        await();
        System.arraycopy(acc, 0, data, 0, acc.length);
    }

    private void await() {
        try {
            shared.barrier.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("LocalCollective: replica " + rank + " was interrupted", e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("LocalCollective: replica " + rank + " lost the others (one failed or"
                    + " stopped calling)", e);
        }
    }

    /** Releases every member waiting for the others, with an error: called when one member has failed. */
    void abort() {
        shared.barrier.reset();
    }

    /** Nothing to release: the members share only memory. */
    @Override
    public void close() {
    }
}
