package org.retina.parallel;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replicas in separate processes or machines, connected pairwise over TCP. An all-reduce is a reduce-scatter
 * then an all-gather: replica {@code r} receives chunk {@code r} of every other replica, adds the chunks up in
 * rank order and sends the sum back to all. Each replica sends and receives {@code 2(N-1)/N} of the array, as in
 * a ring, in two rounds instead of {@code 2(N-1)}. Values travel as little-endian float32 or float64, with no
 * Java serialization.
 */
public final class SocketCollective implements Collective {
    private static final int HELLO = 0x52544e41; // "RTNA"
    /** Socket buffers of each connection: a message this size fits in the peer's receive buffer. */
    private static final int BUFFER = 1 << 20;
    /**
     * Messages up to this size are written by the calling thread: the peer's receive buffer takes them whole (the
     * systems cap buffers, Linux at 208 KiB by default, but none below 64 KiB), so two replicas writing to each
     * other at once cannot block each other. Larger ones go to a sender thread.
     */
    private static final int INLINE = 64 << 10;
    private final int rank;
    private final SocketChannel[] peers;
    private final ByteBuffer[] sendBuffers;
    private final ByteBuffer[] receiveBuffers;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    private SocketCollective(int rank, SocketChannel[] peers) {
        this.rank = rank;
        this.peers = peers;
        this.sendBuffers = new ByteBuffer[peers.length];
        this.receiveBuffers = new ByteBuffer[peers.length];
    }

    /**
     * Opens the server socket a replica listens on before the addresses are exchanged: on {@code host}, a port
     * the system chooses.
     */
    public static ServerSocketChannel listen(String host) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        // set before accepting: accepted connections inherit it, with the window scaling it needs
        server.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER);
        server.bind(new InetSocketAddress(host, 0), 64);
        return server;
    }

    /**
     * Connects replica {@code rank} to all others: it accepts the replicas of higher rank on {@code server} and
     * connects to those of lower rank at {@code addresses} (one per rank, its own included). Closes the server.
     */
    public static SocketCollective connect(int rank, List<InetSocketAddress> addresses, ServerSocketChannel server)
            throws IOException {
        int n = addresses.size();
        if (rank < 0 || rank >= n) {
            throw new IllegalArgumentException("SocketCollective: rank " + rank + " of " + n + " replicas");
        }
        SocketChannel[] peers = new SocketChannel[n];
        try (server) {
            for (int r = 0; r < rank; r++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER);
                ch.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER);
                connectWithRetry(ch, addresses.get(r), r);
                ByteBuffer hello = ByteBuffer.allocate(8).putInt(HELLO).putInt(rank).flip();
                writeFully(ch, hello);
                peers[r] = ch;
            }
            for (int k = rank + 1; k < n; k++) {
                SocketChannel ch = server.accept();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER);
                ByteBuffer hello = ByteBuffer.allocate(8);
                readFully(ch, hello, "a replica connecting");
                hello.flip();
                int magic = hello.getInt();
                int from = hello.getInt();
                if (magic != HELLO || from <= rank || from >= n || peers[from] != null) {
                    ch.close();
                    throw new IOException("SocketCollective: replica " + rank + " got a connection that is not one"
                            + " of its peers (magic " + Integer.toHexString(magic) + ", rank " + from + ")");
                }
                peers[from] = ch;
            }
        } catch (IOException | RuntimeException e) {
            for (SocketChannel p : peers) {
                if (p != null) {
                    p.close();
                }
            }
            throw e;
        }
        return new SocketCollective(rank, peers);
    }

    private static void connectWithRetry(SocketChannel ch, InetSocketAddress to, int peer) throws IOException {
        // the peer's server socket is open before addresses are exchanged, so refusals are rare; retry briefly
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                ch.connect(to);
                return;
            } catch (java.net.ConnectException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("SocketCollective: interrupted connecting to replica " + peer, ie);
                }
            }
        }
        throw new IOException("SocketCollective: cannot connect to replica " + peer + " at " + to, last);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return peers.length;
    }

    @Override
    public void allReduce(float[] data, int off, int len) {
        exchange(new Floats(data, off, len));
    }

    @Override
    public void allReduce(double[] data) {
        exchange(new Doubles(data));
    }

    /** An array seen as values that can be packed into and out of byte buffers and summed element-wise. */
    private sealed interface Values permits Floats, Doubles {
        int length();

        int bytes();

        void put(ByteBuffer b, int from, int count);

        void get(ByteBuffer b, int from, int count);

        /** {@code this[from + i] += b[i]} for the {@code count} values in {@code b}. */
        void add(ByteBuffer b, int from, int count);
    }

    private record Floats(float[] a, int off, int length) implements Values {
        public int bytes() {
            return 4;
        }

        public void put(ByteBuffer b, int from, int count) {
            b.asFloatBuffer().put(a, off + from, count);
            b.position(b.position() + 4 * count);
        }

        public void get(ByteBuffer b, int from, int count) {
            b.asFloatBuffer().get(a, off + from, count);
        }

        public void add(ByteBuffer b, int from, int count) {
            for (int i = 0; i < count; i++) {
                a[off + from + i] += b.getFloat(4 * i);
            }
        }
    }

    private record Doubles(double[] a) implements Values {
        public int length() {
            return a.length;
        }

        public int bytes() {
            return 8;
        }

        public void put(ByteBuffer b, int from, int count) {
            b.asDoubleBuffer().put(a, from, count);
            b.position(b.position() + 8 * count);
        }

        public void get(ByteBuffer b, int from, int count) {
            b.asDoubleBuffer().get(a, from, count);
        }

        public void add(ByteBuffer b, int from, int count) {
            for (int i = 0; i < count; i++) {
                a[from + i] += b.getDouble(8 * i);
            }
        }
    }

    private void exchange(Values v) {
        int n = size();
        if (n == 1) {
            return;
        }
        int len = v.length();
        int from = Collective.chunkStart(len, n, rank);
        int count = Collective.chunkStart(len, n, rank + 1) - from;
        try {
            // reduce-scatter: chunk p of this replica goes to replica p; the others' chunk r comes here
            List<Future<?>> sent = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                if (p != rank) {
                    int pf = Collective.chunkStart(len, n, p);
                    int pc = Collective.chunkStart(len, n, p + 1) - pf;
                    sent.add(send(p, v, pf, pc));
                }
            }
            ByteBuffer[] got = new ByteBuffer[n];
            for (int p = 0; p < n; p++) {
                if (p != rank) {
                    got[p] = receive(p, count, v.bytes());
                }
            }
            join(sent);
            // the sum in rank order: ((x0 + x1) + x2) + ..., this replica's own values at its place
            Values acc = v;
            ByteBuffer own = null;
            if (rank != 0) {
                own = ByteBuffer.allocate(count * v.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                v.put(own, from, count);
                own.flip();
                v.get(got[0], from, count);
            }
            for (int p = 1; p < n; p++) {
                acc.add(p == rank ? own : got[p], from, count);
            }
            // all-gather: the sum of chunk r goes to every replica; chunk p comes from replica p
            sent.clear();
            for (int p = 0; p < n; p++) {
                if (p != rank) {
                    sent.add(send(p, v, from, count));
                }
            }
            for (int p = 0; p < n; p++) {
                if (p != rank) {
                    int pf = Collective.chunkStart(len, n, p);
                    int pc = Collective.chunkStart(len, n, p + 1) - pf;
                    v.get(receive(p, pc, v.bytes()), pf, pc);
                }
            }
            join(sent);
        } catch (IOException e) {
            // the group is broken: closing makes every peer fail at once instead of waiting for this one
            close();
            throw new UncheckedIOException("SocketCollective: replica " + rank + " lost a peer during an"
                    + " all-reduce of " + len + " values: " + e.getMessage(), e);
        }
    }

    private Future<?> send(int peer, Values v, int from, int count) throws IOException {
        ByteBuffer b = buffer(sendBuffers, peer, 4 + count * v.bytes());
        b.putInt(count);
        v.put(b, from, count);
        b.flip();
        if (b.remaining() <= INLINE) {
            // small (batch norm statistics, the step's figures): no thread hand-off on the critical path
            writeFully(peers[peer], b);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return senders.submit(() -> {
            writeFully(peers[peer], b);
            return null;
        });
    }

    private ByteBuffer receive(int peer, int count, int bytes) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(peers[peer], head, "replica " + peer);
        int sent = head.flip().getInt();
        if (sent != count) {
            throw new IOException("replica " + peer + " sent " + sent + " values, expected " + count
                    + " (the replicas called different operations)");
        }
        ByteBuffer b = buffer(receiveBuffers, peer, count * bytes);
        readFully(peers[peer], b, "replica " + peer);
        return b.flip();
    }

    private static ByteBuffer buffer(ByteBuffer[] cache, int peer, int bytes) {
        ByteBuffer b = cache[peer];
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 1024)).order(ByteOrder.LITTLE_ENDIAN);
            cache[peer] = b;
        }
        b.clear().limit(bytes);
        return b;
    }

    private static void join(List<Future<?>> sent) throws IOException {
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readFully(SocketChannel ch, ByteBuffer b, String who) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException(who + " closed its connection");
            }
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        for (SocketChannel p : peers) {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // closing after a failure: the first error is the one reported
                }
            }
        }
    }
}
