package org.retina.golden;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/** Softmax cross-entropy (integer labels, label smoothing) against PyTorch. */
class LossGoldenTest {

    static Stream<String> cases() {
        return Golden.casesOf("cross_entropy").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void crossEntropyMatchesPyTorch(String name) {
        Golden g = Golden.load(name);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(g.number("label_smoothing"));
        double value = loss.forward(g.tensor("x"), g.ints("labels"));
        g.check("loss", Tensor.of(new float[] {(float) value}, 1));
        g.check("gx", loss.backward());
    }

    @ParameterizedTest(name = "{0} with one-hot targets")
    @MethodSource("cases")
    void oneHotTargetsGiveTheSameLoss(String name) {
        Golden g = Golden.load(name);
        Tensor x = g.tensor("x");
        int[] labels = g.ints("labels");
        Tensor onehot = Tensor.zeros(x.shape());
        int c = x.dim(1);
        for (int i = 0; i < labels.length; i++) {
            onehot.data()[i * c + labels[i]] = 1f;
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(g.number("label_smoothing"));
        double value = loss.forward(x, onehot);
        g.check("loss", Tensor.of(new float[] {(float) value}, 1));
        g.check("gx", loss.backward());
    }
}
