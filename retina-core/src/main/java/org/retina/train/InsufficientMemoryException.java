package org.retina.train;

/** Training would not fit in the Java heap: raised before the first step, with the estimate and the advice. */
public final class InsufficientMemoryException extends IllegalArgumentException {
    public InsufficientMemoryException(String message) {
        super(message);
    }
}
