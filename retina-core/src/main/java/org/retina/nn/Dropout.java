package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code p} and the kept ones are scaled by
 * {@code 1/(1-p)}, so evaluation is the identity. The masks come from a stream split off the model's generator
 * at {@link #initialize}, so a model seed fixes every mask of a run.
 */
public final class Dropout implements Layer {

    /** The drop probability, {@code 0 <= p < 1}. */
    public record Config(double p) {
        public Config {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("Dropout: p is " + p + ", expected 0 <= p < 1");
            }
        }
    }

    private final Config config;
    private Rng rng;
    /** The seed of the last training forward's mask: backward regenerates the mask instead of storing it. */
    private long maskSeed;
    private boolean haveMask;

    public Dropout(Config config) {
        this.config = config;
    }

    public static Dropout of(double p) {
        return new Dropout(new Config(p));
    }

    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public void initialize(Rng modelRng) {
        rng = modelRng.split();
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (mode == Mode.EVAL) {
            // a copy, not x itself: the output must not share an array with the caller's input
            return x.copy();
        }
        if (rng == null) {
            throw new IllegalStateException("Dropout: a training forward needs initialize(rng) first, which seeds"
                    + " the masks");
        }
        Tensor y = Tensor.zeros(x.shape());
        maskSeed = rng.nextLong();
        haveMask = true;
        Activations.dropout(x.data(), y.data(), x.size(), (float) config.p, maskSeed);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (!haveMask) {
            throw new IllegalStateException("Dropout: backward without a training forward");
        }
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        Activations.dropoutBackward(gradOut.data(), gradIn.data(), gradOut.size(), (float) config.p, maskSeed);
        haveMask = false;
        return gradIn;
    }

    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("p", config.p);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static Dropout fromConfig(Map<String, Object> map) {
        return of(Configs.read("Dropout", map).number("p"));
    }

    @Override
    public String toString() {
        return "Dropout(p=" + config.p + ")";
    }
}
