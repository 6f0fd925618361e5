package org.retina.golden;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.optim.Adam;
import org.retina.optim.Optimizer;
import org.retina.optim.OptimizerConfig;
import org.retina.optim.RmsProp;
import org.retina.optim.Sgd;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/** Three steps of each optimizer against PyTorch's parameters after each step. */
class OptimizerGoldenTest {

    static Stream<String> cases() {
        return Golden.casesOf("optimizer").stream();
    }

    static OptimizerConfig config(Golden g) {
        Map<String, Object> p = g.params();
        double lr = g.number("lr");
        double wd = ((Number) p.getOrDefault("weight_decay", 0.0)).doubleValue();
        return switch ((String) p.get("optimizer")) {
            case "sgd" -> Sgd.Config.of(lr).withMomentum(((Number) p.getOrDefault("momentum", 0.0)).doubleValue())
                    .withDampening(((Number) p.getOrDefault("dampening", 0.0)).doubleValue())
                    .withNesterov((Boolean) p.getOrDefault("nesterov", false)).withWeightDecay(wd);
            case "adam", "adamw" -> {
                List<?> betas = (List<?>) p.get("betas");
                Adam.Config c = p.get("optimizer").equals("adamw") ? Adam.Config.adamW(lr, wd)
                        : Adam.Config.of(lr).withWeightDecay(wd);
                yield c.withBetas(((Number) betas.get(0)).doubleValue(), ((Number) betas.get(1)).doubleValue())
                        .withEps(g.number("eps"));
            }
            case "rmsprop" -> RmsProp.Config.of(lr).withAlpha(g.number("alpha")).withWeightDecay(wd);
            default -> throw new IllegalArgumentException("unknown optimizer in " + g.name());
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threeStepsMatchPyTorch(String name) {
        Golden g = Golden.load(name);
        Tensor p0 = g.tensor("p0");
        Parameter p = Parameter.learnable("p", p0.shape());
        p.value().copyFrom(p0);
        Optimizer opt = config(g).create(Map.of("p", p));
        Tensor grad = g.tensor("g");
        for (int step = 1; step <= 3; step++) {
            opt.zeroGrad();
            p.grad().copyFrom(grad);
            opt.step();
            g.check("p" + step, p.value());
        }
    }
}
