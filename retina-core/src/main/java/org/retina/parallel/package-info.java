/**
 * Synchronous data-parallel training: replicas of one model on shards of each batch, their gradients added up
 * in a fixed order by a {@link org.retina.parallel.Collective}, in one process ({@link
 * org.retina.parallel.ShardedTraining}) or across machines (the retina-spark module).
 */
package org.retina.parallel;
