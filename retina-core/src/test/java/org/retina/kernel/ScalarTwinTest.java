package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every kernel gives the same bits on its scalar twins as on its vector code: the kernels switch from one to the
 * other while a program runs ({@link Warmup}), and no result may depend on when.
 */
class ScalarTwinTest {

    /** The same thread count, scalar twins only and vector code only. */
    private static final Engine SCALAR = Engine.cpu(2, Engine.Vectors.OFF);
    private static final Engine VECTOR = Engine.cpu(2, Engine.Vectors.ON);

    @AfterAll
    static void close() {
        SCALAR.close();
        VECTOR.close();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        // a few values that test signs of zero and specials
        if (n > 8) {
            x[1] = -0f;
            x[3] = 0f;
            x[5] = 3e-39f;
        }
        return x;
    }

    /** Runs {@code body} scalar, then vector, and asserts the outputs are identical, bit for bit. */
    private static void same(String what, Supplier<List<float[]>> body) {
        List<float[]> scalar = SCALAR.call(body);
        List<float[]> vector = VECTOR.call(body);
        for (int i = 0; i < scalar.size(); i++) {
            float[] s = scalar.get(i);
            float[] v = vector.get(i);
            int[] sb = new int[s.length];
            int[] vb = new int[v.length];
            for (int j = 0; j < s.length; j++) {
                sb[j] = Float.floatToRawIntBits(s[j]);
                vb[j] = Float.floatToRawIntBits(v[j]);
            }
            assertArrayEquals(sb, vb, what + ", output " + i);
        }
    }

    @Test
    void convolutions() {
        ConvGeometry[] gs = {
            new ConvGeometry(1, 28, 28, 16, 28, 28, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1),
            new ConvGeometry(16, 14, 14, 32, 14, 14, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1),
            new ConvGeometry(6, 14, 14, 16, 10, 10, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            new ConvGeometry(4, 9, 40, 70, 9, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            new ConvGeometry(6, 11, 13, 8, 9, 9, 3, 3, 1, 1, 1, 1, 0, 0, 1, 2, 2),
            new ConvGeometry(16, 5, 5, 120, 1, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            new ConvGeometry(3, 9, 9, 5, 4, 4, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1, 1),
            new ConvGeometry(8, 14, 14, 8, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8),
            new ConvGeometry(8, 15, 14, 8, 8, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 8),
            new ConvGeometry(4, 9, 11, 4, 9, 11, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 4),
            new ConvGeometry(8, 6, 6, 12, 6, 6, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            new ConvGeometry(4, 16, 20, 6, 16, 20, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2),
        };
        for (ConvGeometry g : gs) {
            int n = 3;
            float[] x = random(n * g.inSize(), 1);
            float[] w = random(g.outC() * g.colRows(), 2);
            float[] bias = random(g.outC(), 3);
            float[] gy = random(n * g.outSize(), 4);
            same("conv " + g, () -> {
                float[] y = new float[n * g.outSize()];
                float[] gx = new float[x.length];
                float[] gw = random(w.length, 5);
                float[] gb = random(g.outC(), 6);
                ConvKernels.forward(x, w, bias, y, n, g);
                ConvKernels.backwardData(gy, w, gx, n, g);
                ConvKernels.backwardWeights(x, gy, gw, gb, n, g);
                return List.of(y, gx, gw, gb);
            });
        }
    }

    @Test
    void matrixProducts() {
        int[][] shapes = {{13, 70, 40}, {200, 150, 300}, {64, 10, 1568}, {3, 37, 5}, {7, 3, 33}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                boolean acc = t == 3;
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = random(m * k, 7);
                float[] b = random(k * n, 8);
                same("gemm " + m + "x" + n + "x" + k + " " + ta + tb, () -> {
                    float[] c = random(m * n, 9);
                    Gemm.sgemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, acc);
                    return List.of(c);
                });
            }
        }
    }

    @Test
    void poolingNormalizationActivations() {
        int n = 3;
        int c = 5;
        for (int[] hw : new int[][] {{28, 28}, {14, 14}, {7, 9}, {6, 70}}) {
            ConvGeometry g = new ConvGeometry(c, hw[0], hw[1], c, hw[0] / 2, hw[1] / 2, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1,
                    c);
            int inner = hw[0] * hw[1];
            float[] x = random(n * c * inner, 10);
            float[] gp = random(n * g.outSize(), 11);
            float[] gyFull = random(x.length, 12);
            same("pool and norm " + hw[0] + "x" + hw[1], () -> {
                List<float[]> out = new ArrayList<>();
                float[] y = new float[n * g.outSize()];
                int[] arg = new int[y.length];
                PoolKernels.maxForward(x, y, arg, n, g);
                float[] gx = new float[x.length];
                PoolKernels.maxBackward(gp, arg, gx, n, g);
                float[] ya = new float[y.length];
                PoolKernels.avgForward(x, null, ya, n, g, true);
                float[] ga = new float[x.length];
                PoolKernels.avgBackward(gp, null, ga, n, g, true);
                float[] yn = new float[x.length];
                float[] stats = new float[6 * c];
                java.util.Arrays.fill(stats, c, 2 * c, 1f);
                float[] gamma = random(c, 13);
                float[] beta = random(c, 14);
                NormKernels.batchNormTrain(x, yn, gamma, beta, stats, java.util.Arrays.copyOfRange(stats, c, 2 * c),
                        java.util.Arrays.copyOfRange(stats, 2 * c, 3 * c), stats, n, c, inner, 1e-5f, 0.1f);
                float[] gn = new float[x.length];
                float[] gg = new float[c];
                float[] gbeta = new float[c];
                NormKernels.batchNormBackward(x, gyFull, gn, gamma, gg, gbeta, stats, gamma, n, c, inner);
                BlockKernels.Stats st = BlockKernels.Stats.of(c);
                float[] rm = new float[c];
                float[] rv = new float[c];
                float[] yb = new float[y.length];
                int[] argb = new int[y.length];
                float[] ggb = new float[c];
                float[] gbb = new float[c];
                BlockKernels.Planes planes = new BlockKernels.Planes(n, c, inner);
                BlockKernels.Norm norm = new BlockKernels.Norm(gamma, beta, ggb, gbb, rm, rv, 1e-5f, 0.1f);
                BlockKernels.Tail relu = new BlockKernels.Tail(BlockKernels.Act.RELU, new BlockKernels.Pool(g, true));
                BlockKernels.Tail tanh = new BlockKernels.Tail(BlockKernels.Act.TANH, new BlockKernels.Pool(g, false));
                BlockKernels.trainForward(x, planes, norm, st, relu, yb, argb, null);
                float[] gz = new float[x.length];
                BlockKernels.trainBackward(gp, x, planes, norm, st, relu, argb, null, gz);
                float[] keep = new float[x.length];
                float[] yt = new float[y.length];
                BlockKernels.trainForward(x, planes, null, null, tanh, yt, null, keep);
                float[] gzt = new float[x.length];
                BlockKernels.trainBackward(gp, x, planes, null, null, tanh, null, keep, gzt);
                // ReLU6 without pooling, its batch norm's scale wide enough that values pass 6 as well as 0
                float[] wide = new float[c];
                for (int i = 0; i < c; i++) {
                    wide[i] = 8f * gamma[i];
                }
                BlockKernels.Norm norm6 = new BlockKernels.Norm(wide, beta, new float[c], new float[c], new float[c],
                        new float[c], 1e-5f, 0.1f);
                BlockKernels.Stats st6 = BlockKernels.Stats.of(c);
                BlockKernels.Tail relu6 = new BlockKernels.Tail(BlockKernels.Act.RELU6, null);
                float[] y6 = new float[x.length];
                BlockKernels.trainForward(x, planes, norm6, st6, relu6, y6, null, null);
                float[] gz6 = new float[x.length];
                BlockKernels.trainBackward(gyFull, x, planes, norm6, st6, relu6, null, null, gz6);
                float[] args = new float[arg.length];
                for (int i = 0; i < arg.length; i++) {
                    args[i] = arg[i] + 0.5f * argb[i];
                }
                out.addAll(List.of(y, gx, ya, ga, yn, gn, gg, gbeta, yb, gz, ggb, gbb, rm, rv, keep, yt, gzt, args, y6,
                        gz6, norm6.gGamma(), norm6.gBeta()));
                return out;
            });
            same("activations " + inner, () -> {
                float[][] o = new float[8][x.length];
                Activations.relu(x, o[0], x.length);
                Activations.reluBackward(x, gyFull, o[1], x.length);
                Activations.tanh(x, o[2], x.length);
                Activations.tanhBackward(x, gyFull, o[3], x.length);
                Activations.sigmoid(x, o[4], x.length);
                Activations.sigmoidBackward(x, gyFull, o[5], x.length);
                Activations.softmax(x, o[6], n, c, inner);
                Activations.logSoftmax(x, o[7], n * c, inner, 1);
                return List.of(o);
            });
        }
    }
}
