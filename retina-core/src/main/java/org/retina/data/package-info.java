/**
 * Labelled image datasets and how they reach a model: the known datasets and their store, views
 * (hold-out splits, subsets, relabelling, normalization), seeded augmentations and a {@link org.retina.data.DataLoader}
 * whose batches depend only on the seed, whatever the threads.
 */
package org.retina.data;
