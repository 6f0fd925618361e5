/**
 * Ready-made architectures by name, from LeNet-5 to ResNet-50 (the large ones as torchvision builds them);
 * each factory returns an unbuilt model with the input shape it is made for.
 */
package org.retina.zoo;
