/**
 * Files: the {@code .retina} model file (architecture as JSON, tensors as {@code .npy} in a zip), the
 * registry that rebuilds components from their configs, a small JSON reader and writer, and atomic file writes.
 */
package org.retina.io;
