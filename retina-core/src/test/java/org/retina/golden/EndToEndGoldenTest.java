package org.retina.golden;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.optim.Adam;
import org.retina.optim.Optimizer;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/** Three Adam steps of the fashion-cnn network reproduce PyTorch's losses, logits, gradients and final weights. */
class EndToEndGoldenTest {

    /** Seed 000's network with the case's initial weights and running statistics. */
    static Sequential initialNetwork(Golden g) {
        Sequential model = Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2)).add("bn1", BatchNorm2d.of()).add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))
                .add("conv2", Conv2d.of(32, 5).withPadding(2)).add("bn2", BatchNorm2d.of()).add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2))
                .add("flatten", Flatten.of()).add("fc", Dense.of(10)).build();
        model.build(Shape.of(1, 28, 28));
        model.namedParameters().forEach((k, p) -> p.value().copyFrom(g.tensor("init." + k)));
        model.namedBuffers().forEach((k, p) -> p.value().copyFrom(g.tensor("init." + k)));
        return model;
    }

    @Test
    void threeAdamStepsOfTheFashionNetwork() {
        Golden g = Golden.load("e2e_mnistnet_adam_3steps");
        Sequential model = initialNetwork(g);
        Map<String, Parameter> params = model.namedParameters();
        Map<String, Parameter> buffers = model.namedBuffers();
        @SuppressWarnings("unchecked")
        Map<String, Object> opt = (Map<String, Object>) g.params().get("optimizer_params");
        Optimizer adam = Adam.Config.of(((Number) opt.get("lr")).doubleValue()).create(params);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor x = g.tensor("x");
        int[] labels = g.ints("labels");
        float[] losses = new float[3];
        for (int step = 0; step < 3; step++) {
            adam.zeroGrad();
            Tensor logits = model.forward(x, Mode.TRAIN);
            if (step == 0) {
                g.check("logits0", logits);
            }
            losses[step] = (float) loss.forward(logits, labels);
            model.backward(loss.backward());
            if (step == 0) {
                params.forEach((k, p) -> g.check("grad0." + k, p.grad()));
            }
            adam.step();
        }
        g.check("losses", Tensor.of(losses, 3));
        params.forEach((k, p) -> g.check("final." + k, p.value()));
        buffers.forEach((k, p) -> g.check("final." + k, p.value()));
    }
}
