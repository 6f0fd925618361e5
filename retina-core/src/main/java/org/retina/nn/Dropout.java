package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code p} and the kept ones are scaled by
 * {@code 1/(1-p)}, so evaluation is the identity. The masks come from a stream split off the model's generator
 * at {@link #initialize}, so a model seed fixes every mask of a run. The stream's state is a buffer, saved with
 * the model, so a run resumed from a checkpoint draws the same masks as one that never stopped.
 */
public final class Dropout implements Layer {

    /** The drop probability, {@code 0 <= p < 1}. */
    public record Config(double p) {
        /** Checks that {@code 0 <= p < 1}. */
        public Config {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("Dropout: p is " + p + ", expected 0 <= p < 1");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Dropout", new Config(0.5)).required("p");

    private final Config config;
    /** The mask generator's 64-bit state as four exact 16-bit pieces (floats hold integers up to 2^24). */
    private final Parameter rngState = Parameter.buffer("rng_state", Shape.of(4));
    private boolean seeded;
    /** The seed of the last training forward's mask: backward regenerates the mask instead of storing it. */
    private long maskSeed;
    private boolean haveMask;

    /** A dropout with the given settings; its masks are seeded at {@link #initialize}. */
    public Dropout(Config config) {
        this.config = config;
    }

    /** Dropout zeroing each element with probability {@code p} in training. */
    public static Dropout of(double p) {
        return new Dropout(new Config(p));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public void initialize(Rng modelRng) {
        store(modelRng.split().state());
        seeded = true;
    }

    private long load() {
        float[] s = rngState.value().data();
        return (long) s[0] << 48 | (long) s[1] << 32 | (long) s[2] << 16 | (long) s[3];
    }

    private void store(long state) {
        float[] s = rngState.value().data();
        for (int i = 0; i < 4; i++) {
            s[i] = (float) (state >>> (48 - 16 * i) & 0xFFFF);
        }
    }

    @Override
    public List<Parameter> buffers() {
        return List.of(rngState);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (mode == Mode.EVAL) {
            // a copy, not x itself: the output must not share an array with the caller's input
            return x.copy();
        }
        if (!seeded) {
            throw new IllegalStateException("Dropout: a training forward needs initialize(rng) first, which seeds"
                    + " the masks");
        }
        Tensor y = Tensor.zeros(x.shape());
        Rng rng = new Rng(load());
        maskSeed = rng.nextLong();
        store(rng.state());
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
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Dropout fromConfig(Map<String, Object> map) {
        return new Dropout(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
