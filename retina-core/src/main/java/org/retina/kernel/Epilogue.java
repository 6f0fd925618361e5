package org.retina.kernel;

/**
 * What a convolution does to its outputs as it stores them, channel by channel: {@code y = act(z * scale[c] +
 * shift[c])}, {@code z} the convolution's sum with its bias; {@code scale} and {@code shift} may be null (1 and 0). A
 * kernel that applies it while its output is still in cache saves a pass over the map and a hand-over between threads
 * per layer; one that cannot applies it in a pass of its own ({@link #planes}). Either way each value goes through
 * the same operations as in {@link BlockKernels#evalForward}, so the bits are the same.
 *
 * @param scale per channel, or null for 1
 * @param shift per channel, or null for 0
 * @param act   the activation after the affine map
 */
public record Epilogue(float[] scale, float[] shift, BlockKernels.Act act) {

    /** Applies it to {@code y[off, off + len)}, values of channel {@code c}. */
    void apply(float[] y, int off, int len, int c) {
        BlockKernels.activate(y, off, scale == null ? 1f : scale[c], shift == null ? 0f : shift[c], act, y, off, len);
    }

    /** Applies it to a whole output {@code y} of {@code n} samples of {@code channels} planes of {@code plane} values. */
    void planes(float[] y, int n, int channels, int plane) {
        Engine.current().parallelFor(n * channels, (chunk, from, to) -> {
            for (int p = from; p < to; p++) {
                apply(y, p * plane, plane, p % channels);
            }
        });
    }
}
