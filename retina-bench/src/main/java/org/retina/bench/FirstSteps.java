package org.retina.bench;

import org.retina.data.Batch;
import org.retina.train.Trainer;

/** Prints how long each of the first training steps of the seed network takes in a fresh JVM (warm-up study). */
final class FirstSteps {
    private FirstSteps() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        Networks.Net net = Networks.seed();
        net.model().build(net.input(), 0);
        Batch[] batches = Measure.data(net.input(), Measure.BATCH, 4);
        Trainer trainer = Measure.trainer(net.model());
        int[] predicted = new int[Measure.BATCH];
        System.out.printf("setup %.3f s%n", (System.nanoTime() - start) / 1e9);
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        for (int s = 0; s < steps; s++) {
            long t = System.nanoTime();
            trainer.step(batches[s % 4], predicted);
            System.out.printf("step %d: %.3f s (at %.3f s)%n", s, (System.nanoTime() - t) / 1e9,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
