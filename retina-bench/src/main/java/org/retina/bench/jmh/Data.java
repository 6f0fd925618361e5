package org.retina.bench.jmh;

import org.retina.kernel.ConvGeometry;
import org.retina.tensor.Rng;

/** Seeded inputs and the geometries the benchmarks share. */
final class Data {
    private Data() {
    }

    static float[] random(int size, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextDouble() * 2 - 1;
        }
        return x;
    }

    /** A named convolution of the benchmarked networks. */
    static ConvGeometry conv(String name) {
        return switch (name) {
            case "seed1" -> new ConvGeometry(1, 28, 28, 16, 28, 28, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1);
            case "seed2" -> new ConvGeometry(16, 14, 14, 32, 14, 14, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1);
            case "lenet1" -> new ConvGeometry(1, 32, 32, 6, 28, 28, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1);
            case "lenet3" -> new ConvGeometry(6, 14, 14, 16, 10, 10, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1);
            case "vgg" -> new ConvGeometry(64, 56, 56, 64, 56, 56, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
            case "stride2" -> new ConvGeometry(64, 56, 56, 128, 28, 28, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
            case "pointwise" -> new ConvGeometry(64, 28, 28, 128, 28, 28, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
            default -> throw new IllegalArgumentException("no convolution '" + name + "'");
        };
    }
}
