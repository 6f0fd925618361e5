package org.retina.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Both collectives add up in rank order, to the same bits on every replica, whatever the length. */
class CollectiveTest {

    private static float[][] inputs(int replicas, int len, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[replicas][len];
        for (float[] a : x) {
            for (int i = 0; i < len; i++) {
                // magnitudes far apart, so that the order of the additions shows in the bits
                a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            }
        }
        return x;
    }

    private static float[] rankOrderSum(float[][] x, int off, int len) {
        float[] s = new float[len];
        for (int i = 0; i < len; i++) {
            float acc = x[0][off + i];
            for (int r = 1; r < x.length; r++) {
                acc += x[r][off + i];
            }
            s[i] = acc;
        }
        return s;
    }

    /** Runs {@code work(rank)} on one thread per replica and returns each one's result. */
    private static <T> List<T> onThreads(int n, IntFunction<T> work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(pool.submit(() -> work.apply(rank)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        }
    }

    /** A group of {@code n} socket replicas on loopback, each connected on its own thread. */
    static List<Collective> sockets(int n) throws Exception {
        List<ServerSocketChannel> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ServerSocketChannel s = SocketCollective.listen("127.0.0.1");
            servers.add(s);
            addresses.add((InetSocketAddress) s.getLocalAddress());
        }
        return onThreads(n, r -> {
            try {
                return SocketCollective.connect(r, addresses, servers.get(r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void check(List<Collective> group, int len) throws Exception {
        int n = group.size();
        float[][] x = inputs(n, len + 3, len);
        float[] expected = rankOrderSum(x, 2, len);
        double[][] d = new double[n][len];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < len; i++) {
                d[r][i] = x[r][i] * 1.0000001;
            }
        }
        List<float[]> got = onThreads(n, r -> {
            float[] mine = x[r].clone();
            group.get(r).allReduce(mine, 2, len);
            group.get(r).allReduce(d[r]);
            return mine;
        });
        for (int r = 0; r < n; r++) {
            float[] inner = java.util.Arrays.copyOfRange(got.get(r), 2, 2 + len);
            assertArrayEquals(expected, inner, 0f, "replica " + r + " of " + n + ", " + len + " values");
            assertEquals(x[r][0], got.get(r)[0], "values outside the range are left alone");
            assertArrayEquals(d[0], d[r], 0.0, "the double sums agree on every replica");
        }
    }

    @Test
    void localGroupsSumInRankOrder() throws Exception {
        for (int n : new int[] {1, 2, 3, 5}) {
            List<Collective> g = LocalCollective.group(n);
            for (int len : new int[] {0, 1, 4, 7, 1000, 29_001}) {
                check(g, len);
            }
        }
    }

    @Test
    void socketGroupsSumInRankOrderOnLoopback() throws Exception {
        for (int n : new int[] {2, 3, 4}) {
            List<Collective> g = sockets(n);
            try {
                for (int len : new int[] {1, 4, 7, 1000, 300_001}) {
                    check(g, len);
                }
            } finally {
                g.forEach(Collective::close);
            }
        }
    }

    @Test
    void aLostPeerIsAnErrorNotAHang() throws Exception {
        List<Collective> g = sockets(2);
        g.get(1).close();
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> g.get(0).allReduce(new float[100], 0, 100));
        assertTrue(e.getMessage().contains("replica 0 lost a peer"), e.getMessage());
        g.get(0).close();
    }
}
