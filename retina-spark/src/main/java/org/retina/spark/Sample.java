package org.retina.spark;

import java.io.Serializable;

/**
 * One training or validation sample on its way to a worker: its place in its set (which fixes its partition and
 * its order there), its label and its pixels, as bytes (uint8, {@code C x H x W}) or as floats.
 */
record Sample(boolean validation, long index, int label, byte[] bytes, float[] floats) implements Serializable {
}
