/**
 * Where a model runs: {@code cpu}, the pure-Java engine that is always there, or a device such as
 * {@code cuda} that an {@link org.retina.device.AcceleratorProvider} on the class path adds.
 */
package org.retina.device;
