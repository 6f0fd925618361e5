/**
 * The components a model is made of, PyTorch's layers in Java casing: convolution, pooling, dense, batch
 * normalization, activations, dropout, reshaping and the merges of graph models ({@link org.retina.nn.Add},
 * {@link org.retina.nn.Concat}). Each is configured at construction, built once for a per-sample input shape, then
 * run forward and backward on batches, {@code (N, C, H, W)} for images.
 */
package org.retina.nn;
