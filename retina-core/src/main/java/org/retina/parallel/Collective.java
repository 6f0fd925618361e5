package org.retina.parallel;

/**
 * A group of {@code size()} replicas that add arrays up together. Every operation is called by every replica with
 * arrays of the same length, in the same order; each element of the result is the sum over the replicas in rank
 * order, {@code ((x0 + x1) + x2) + ...}, in the array's own precision, so that the result is the same bits on
 * every replica and does not depend on timing or on how the group is connected.
 */
public interface Collective extends AutoCloseable {

    /** This replica's rank, {@code 0 .. size() - 1}. */
    int rank();

    /** The number of replicas. */
    int size();

    /** Replaces {@code data[off .. off+len)} by its element-wise sum over all replicas. */
    void allReduce(float[] data, int off, int len);

    /** Replaces {@code data} by its element-wise sum over all replicas. */
    void allReduce(double[] data);

    /** Releases connections and threads; the group cannot be used afterwards. */
    @Override
    void close();

    /** The first element of chunk {@code c} when {@code len} values are split in {@code parts} nearly equal chunks. */
    static int chunkStart(int len, int parts, int c) {
        return (int) ((long) len * c / parts);
    }
}
