package org.retina.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Real Spark sessions for the tests: {@code local[N]} in this JVM, and {@code local-cluster[N,1,MB]}, a master,
 * workers and executor JVMs started from the Maven jars on the test class path.
 */
final class SparkSessions {
    private SparkSessions() {
    }

    /** The flags every executor JVM runs with, as the tests' own JVM does. */
    static final String EXECUTOR_JAVA_OPTIONS = "--add-modules jdk.incubator.vector -XX:+UseSerialGC"
            + " --sun-misc-unsafe-memory-access=allow";

    static SparkSession local(int cores) {
        return base().master("local[" + cores + "]").getOrCreate();
    }

    /**
     * {@code local-cluster[workers,1,memoryMb]} with executors of {@code executorMb}: executors are separate JVMs, so they need a Spark home (an empty
     * folder will do: the jars come from the class path given to them) and this JVM's class path.
     */
    static SparkSession cluster(int workers, int memoryMb, int executorMb) {
        String home = System.getenv("SPARK_HOME");
        if (home == null) {
            throw new IllegalStateException("local-cluster needs SPARK_HOME set to a folder (the build sets it to"
                    + " target/spark-home)");
        }
        try {
            // the executor launcher adds the home's jars folder to the class path: an empty one is enough
            Files.createDirectories(Path.of(home, "jars"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return base().master("local-cluster[" + workers + ",1," + memoryMb + "]")
                .config("spark.executor.extraClassPath", classPath)
                .config("spark.executor.extraJavaOptions", EXECUTOR_JAVA_OPTIONS)
                .config("spark.executor.memory", executorMb + "m")
                .getOrCreate();
    }

    private static SparkSession.Builder base() {
        try {
            Path warehouse = Files.createTempDirectory("retina-spark-warehouse");
            return SparkSession.builder().appName("retina-spark-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.warehouse.dir", warehouse.toString())
                    .config("spark.sql.shuffle.partitions", "4");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
