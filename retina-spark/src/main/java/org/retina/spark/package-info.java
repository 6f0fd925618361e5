/** Data-parallel training and batch scoring of Retina models on Apache Spark. */
package org.retina.spark;
