package org.retina.nn;

import java.util.Objects;

/**
 * How a built layer can join a {@link ConvBlock} ({@link Layer#blockPart}): its stage, and which activation or
 * pooling it is ({@code NONE} for the other stages). A model's fusion plan reads this and names no layer type.
 */
public record BlockPart(Stage stage, ConvBlock.Activation activation, ConvBlock.Pool pool) {

    /** Where a layer stands in a block, in this order; each stage at most once, the convolution first. */
    public enum Stage {
        /** The convolution. */
        CONV,
        /** A {@link BatchNorm2d}. */
        NORM,
        /** An activation. */
        ACTIVATION,
        /** A 2x2 stride-2 pooling. */
        POOL
    }

    /** Checks that the activation and the pooling are given exactly for their own stages. */
    public BlockPart {
        Objects.requireNonNull(stage, "BlockPart: stage");
        if ((activation != ConvBlock.Activation.NONE) != (stage == Stage.ACTIVATION)
                || (pool != ConvBlock.Pool.NONE) != (stage == Stage.POOL)) {
            throw new IllegalArgumentException("BlockPart: stage " + stage + " with activation " + activation
                    + " and pool " + pool + ", expected an activation only for ACTIVATION and a pool only for POOL");
        }
    }

    /** The part of a stage that carries no choice: the convolution or the batch norm. */
    public static BlockPart of(Stage stage) {
        return new BlockPart(stage, ConvBlock.Activation.NONE, ConvBlock.Pool.NONE);
    }

    /** An activation. */
    public static BlockPart activation(ConvBlock.Activation a) {
        return new BlockPart(Stage.ACTIVATION, a, ConvBlock.Pool.NONE);
    }

    /** A 2x2 stride-2 pooling. */
    public static BlockPart pool(ConvBlock.Pool p) {
        return new BlockPart(Stage.POOL, ConvBlock.Activation.NONE, p);
    }
}
