/**
 * Tensors and what they are made of: float32 arrays with a {@link org.retina.tensor.Shape} (NCHW for images),
 * named {@link org.retina.tensor.Parameter}s with their gradients, PyTorch's weight initializers and a seeded
 * generator that gives the same sequence on every JVM and thread.
 */
package org.retina.tensor;
