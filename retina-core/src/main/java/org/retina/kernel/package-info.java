/**
 * Internal, not part of the API: the pure-Java CPU kernels (GEMM, convolution, pooling, normalization,
 * pointwise, loss and optimizer arithmetic) that the layers call, written with the Vector API. They may change
 * in any release; use the layers of {@code org.retina.nn} instead.
 */
package org.retina.kernel;
