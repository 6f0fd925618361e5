package org.retina.train;

/** Training would not fit in the Java heap: raised before the first step, with the estimate and the advice. */
public final class InsufficientMemoryException extends IllegalArgumentException {
    /** An error whose message gives the estimate and the advice. */
    public InsufficientMemoryException(String message) {
        super(message);
    }
}
