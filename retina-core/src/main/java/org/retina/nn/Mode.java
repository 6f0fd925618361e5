package org.retina.nn;

/** Whether a forward pass trains (batch statistics, dropout, caches for backward) or evaluates. */
public enum Mode {
    /** Training: batch statistics, dropout on, inputs kept for backward. */
    TRAIN,
    /** Evaluation: running statistics, dropout off, nothing kept for backward. */
    EVAL
}
