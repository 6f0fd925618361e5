/**
 * JMH microbenchmarks of the CPU kernels: GEMM, convolution forward and backward, and the
 * memory-bound elementwise kernels, on the shapes of the benchmarked networks.
 */
package org.retina.bench.jmh;
