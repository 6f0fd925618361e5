package org.retina.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.retina.model.Model;
import org.retina.optim.Optimizer;
import org.retina.parallel.DataParallel;
import org.retina.train.Callback;
import org.retina.train.EpochResult;
import org.retina.train.History;
import org.retina.train.StepResult;
import org.retina.train.Trainer;

/**
 * Training progress from the workers to the driver: replica 0 sends one line per step and per epoch over a TCP
 * connection to the driver, which hands them to the callbacks (a progress bar, logs) as a local run would. The
 * callbacks are given the driver's trainer, whose history grows by each epoch; its model is the one being trained,
 * which receives the trained values when the run ends (until then they live on the workers).
 */
final class Progress {
    private Progress() {
    }

    /** The driver's end: accepts replica 0 of each attempt and replays its lines to the callbacks. */
    static final class Server implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        private final List<Callback> callbacks;
        private final Trainer trainer;
        private int epochShown;

        Server(String host, Trainer trainer, List<Callback> callbacks) throws IOException {
            this.trainer = trainer;
            this.callbacks = callbacks;
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress(host, 0));
            this.thread = Thread.ofPlatform().daemon().name("retina-spark-progress").start(this::serve);
        }

        /** Where replica 0 connects: {@code host:port}. */
        String address() {
            return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); BufferedReader in = new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        handle(line.split(" "));
                    }
                } catch (IOException | RuntimeException e) {
                    // a lost worker ends its connection; the next attempt's replica 0 connects anew
                }
            }
        }

        private synchronized void handle(String[] f) {
            if (f[0].equals("step")) {
                int epoch = Integer.parseInt(f[1]);
                int batch = Integer.parseInt(f[2]);
                int batches = Integer.parseInt(f[3]);
                if (epoch != epochShown) {
                    epochShown = epoch;
                    callbacks.forEach(c -> c.onEpochBegin(epoch, batches));
                }
                StepResult sr = new StepResult(Long.parseLong(f[4]), epoch, batch, batches, d(f[5]), d(f[6]),
                        d(f[7]));
                for (Callback c : callbacks) {
                    c.onBatchEnd(epoch, batch, batches, d(f[8]), d(f[9]), Long.parseLong(f[10]), d(f[11]));
                    c.onStepEnd(sr);
                }
            } else if (f[0].equals("epoch")) {
                EpochResult r = new EpochResult(Integer.parseInt(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]),
                        d(f[7]), d(f[8]));
                trainer.history().add(r);
                callbacks.forEach(c -> c.onEpochEnd(trainer, r));
            }
        }

        private static double d(String s) {
            return Double.parseDouble(s);
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Replica 0's end: sends each step and epoch; a driver out of reach only loses the progress lines. */
    static final class Client implements DataParallel.Listener, AutoCloseable {
        private final Socket socket;
        private final PrintWriter out;
        private final DataParallel.Listener checkpoints;

        Client(String address, DataParallel.Listener checkpoints) {
            this.checkpoints = checkpoints;
            Socket s = null;
            PrintWriter w = null;
            if (address != null) {
                int colon = address.lastIndexOf(':');
                try {
                    s = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
                    w = new PrintWriter(new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8),
                            true);
                } catch (IOException e) {
                    System.err.println("retina-spark: the driver's progress port " + address + " is out of reach ("
                            + e.getMessage() + "); training goes on without progress lines");
                }
            }
            this.socket = s;
            this.out = w;
        }

        @Override
        public void onStep(StepResult st, double epochLoss, double epochAccuracy, long images, double seconds) {
            if (out != null) {
                out.println(String.format(Locale.ROOT, "step %d %d %d %d %s %s %s %s %s %d %s", st.epoch(),
                        st.batch(), st.batches(), st.step(), st.loss(), st.accuracy(), st.learningRate(), epochLoss,
                        epochAccuracy, images, seconds));
            }
        }

        @Override
        public void onEpoch(EpochResult r) {
            if (out != null) {
                out.println(String.format(Locale.ROOT, "epoch %d %s %s %s %s %s %s %s", r.epoch(), r.loss(),
                        r.accuracy(), r.valLoss(), r.valAccuracy(), r.learningRate(), r.seconds(),
                        r.imagesPerSecond()));
            }
        }

        @Override
        public void onCheckpoint(Model model, Optimizer optimizer, DataParallel.Position next, History history) {
            checkpoints.onCheckpoint(model, optimizer, next, history);
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the progress line is best effort
                }
            }
        }
    }
}
