/**
 * The benchmarks behind {@code ./retina bench}: whole-network, per-layer and GPU figures of Retina,
 * compared with PyTorch measured in the same run on the same networks, and the memory and start-up probes.
 */
package org.retina.bench;
