package org.retina.tensor;

/**
 * A seeded random generator (SplitMix64) whose sequence is the same on every JVM, thread and run.
 * Not thread-safe: give each thread its own, made with {@link #split()}.
 */
public final class Rng {
    private long state;
    private double spareGaussian = Double.NaN;

    /** A generator whose sequence is fixed by {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The generator's whole state: {@code new Rng(state())} continues the same sequence of longs. */
    public long state() {
        return state;
    }

    /** The next 64 random bits, the SplitMix64 step the other draws are built on. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits, exactly representable as a float. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased (rejection of the last partial block of 63-bit values). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextInt: bound " + bound + ", expected > 0");
        }
        while (true) {
            long r = nextLong() >>> 1;
            long m = r % bound;
            if (r - m + (bound - 1) >= 0) {
                return (int) m;
            }
        }
    }

    /** Standard normal by the Box-Muller transform, computed with StrictMath so every run agrees bit for bit. */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 <= 0.0);
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double theta = 2.0 * StrictMath.PI * u2;
        spareGaussian = r * StrictMath.sin(theta);
        return r * StrictMath.cos(theta);
    }

    /** A new generator seeded from this one, for an independent stream. */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
