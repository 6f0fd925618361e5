#!/usr/bin/env bash
# The Spark figures of BENCHMARKS.md: training images/s on one machine (1 thread) and on 1 and 2 local-cluster
# workers of one core each, and the all-reduce's cost per step on loopback. Usage: scripts/spark-bench.sh [IMAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
./retina summary --model fashion-cnn >/dev/null 2>&1   # builds when sources changed and finds the JDK
JAVA_HOME="$(sed -n 2p .retina-build/jdk)"
export JAVA_HOME
mvn -B -q -o test-compile -pl retina-spark -am -Dmaven.javadoc.skip=true >/dev/null
mvn -B -q -o dependency:build-classpath -pl retina-spark -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/retina-spark/target/spark-bench.classpath" >/dev/null
CP="$PWD/retina-spark/target/test-classes:$PWD/retina-spark/target/classes:$(cat retina-spark/target/spark-bench.classpath)"
export SPARK_HOME="$PWD/retina-spark/target/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
OPENS="$(sed -n 's:.*<spark.jvm.args>\(.*\)</spark.jvm.args>.*:\1:p' pom.xml)"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseSerialGC \
    --sun-misc-unsafe-memory-access=allow $OPENS -Dsurefire.test.class.path="$CP" -cp "$CP" \
    org.retina.spark.SparkBench "$@"
