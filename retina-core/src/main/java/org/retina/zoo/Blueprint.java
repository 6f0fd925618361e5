package org.retina.zoo;

import org.retina.model.Model;
import org.retina.tensor.Shape;

/** An architecture of the zoo as its factory returns it: the unbuilt model and the input shape it is made for. */
public record Blueprint(Model model, Shape input) {

    /** Checks that the model is not built yet, so that {@link #build} can build it for {@code input}. */
    public Blueprint {
        if (model.isBuilt()) {
            throw new IllegalArgumentException("Blueprint: the model is already built; a blueprint holds an unbuilt"
                    + " model");
        }
    }

    /** The model built for {@link #input()} with {@link Model#DEFAULT_SEED}. */
    public Model build() {
        return model.build(input);
    }

    /** The model built for {@link #input()}, its weights initialized from {@code seed}. */
    public Model build(long seed) {
        return model.build(input, seed);
    }
}
