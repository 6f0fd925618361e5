package org.retina.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.retina.data.Batch;
import org.retina.data.DataLoader;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.optim.Adam;
import org.retina.optim.Optimizer;
import org.retina.tensor.Shape;
import org.retina.testing.TestData;

/**
 * A small ResNet and a small Inception net, made of the zoo's blocks, learn on real MNIST images: over 60 Adam
 * steps of 32 images the mean of the last 5 batch losses falls below 0.6 of the first 5. Why 0.6: the first
 * losses sit at chance, ln 10 = 2.30, and a mean of 5 batches moves by a few hundredths from noise alone; with
 * the blocks frozen and only the final dense layer learning, the ratio ends near 0.9, so gradients that do not
 * reach the convolutions through the branches, sums and concatenations fail; working nets end near 0.35 to 0.42
 * (four model and shuffle seeds tried), which leaves room for other seeds and thread counts.
 */
class SmallNetsTrainingIT {
    private static final int STEPS = 60;
    private static final int BATCH = 32;
    private static final Shape MNIST = Shape.of(1, 28, 28);

    /** Stem conv 3x3 (16) + BN + ReLU + pool, a basic block of 16, a strided one of 32 with projection, dense. */
    private static Model smallResNet() {
        Graph.Builder g = Graph.builder();
        String x = g.add("conv1", Conv2d.of(16, 3).withPadding(1).withBias(false), Model.INPUT);  // (16, 28, 28)
        x = g.add("bn1", BatchNorm2d.of(), x);
        x = g.add("relu", ReLU.of(), x);
        x = g.add("maxpool", MaxPool2d.of(2), x);                                              // (16, 14, 14)
        x = ResNet.basicBlock(g, "layer1.0", x, 16, 16, 1);
        x = ResNet.basicBlock(g, "layer2.0", x, 16, 32, 2);                                    // (32, 7, 7)
        x = g.add("avgpool", GlobalAvgPool2d.of(), x);
        x = g.add("flatten", Flatten.of(), x);
        x = g.add("fc", Dense.of(10), x);
        return g.build(x).build(MNIST, 7);
    }

    /** Stem BasicConv2d 3x3 (16), pool, an Inception block of 40 channels, pool, one of 56, pool, dense. */
    private static Model smallInception() {
        Graph.Builder g = Graph.builder();
        String x = GoogLeNet.basicConv(g, "conv1", Model.INPUT, Conv2d.of(16, 3).withPadding(1));  // (16, 28, 28)
        x = g.add("maxpool1", MaxPool2d.of(2), x);                                             // (16, 14, 14)
        x = GoogLeNet.inception(g, "inception3a", x, 8, 8, 16, 4, 8, 8);                       // (40, 14, 14)
        x = g.add("maxpool2", MaxPool2d.of(2), x);                                             // (40, 7, 7)
        x = GoogLeNet.inception(g, "inception4a", x, 16, 12, 24, 4, 8, 8);                     // (56, 7, 7)
        x = g.add("avgpool", GlobalAvgPool2d.of(), x);
        x = g.add("flatten", Flatten.of(), x);
        x = g.add("fc", Dense.of(10), x);
        return g.build(x).build(MNIST, 7);
    }

    private static double[] train(Model m) throws IOException {
        Dataset mnist = DatasetStore.open("mnist", DatasetStore.Split.TRAIN, TestData.dataset("mnist"));
        Optimizer adam = Adam.Config.of(1e-2).create(m.namedParameters());
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double[] losses = new double[STEPS];
        int step = 0;
        try (DataLoader.Epoch epoch = DataLoader.of(mnist, BATCH).withShuffle(11).epoch(0)) {
            for (Batch b : epoch) {
                if (step == STEPS) {
                    break;
                }
                adam.zeroGrad();
                losses[step++] = loss.forward(m.forward(b.x(), Mode.TRAIN), b.labels());
                m.backward(loss.backward());
                adam.step();
            }
        }
        return losses;
    }

    private static void assertLearns(String name, Model m) throws IOException {
        long start = System.nanoTime();
        double[] losses = train(m);
        double first = Arrays.stream(losses, 0, 5).average().orElseThrow();
        double last = Arrays.stream(losses, STEPS - 5, STEPS).average().orElseThrow();
        System.out.printf("%s on MNIST, %d steps of %d: mean loss of the first 5 batches %.3f, last 5 %.3f"
                + " (ratio %.2f), %.1f s%n", name, STEPS, BATCH, first, last, last / first,
                (System.nanoTime() - start) / 1e9);
        assertTrue(last < 0.6 * first, name + ": losses " + Arrays.toString(losses));
    }

    @Test
    void smallResNetLearns() throws IOException {
        assertLearns("small ResNet", smallResNet());
    }

    @Test
    void smallInceptionNetLearns() throws IOException {
        assertLearns("small Inception net", smallInception());
    }
}
