package org.retina.kernel;

/**
 * Whether this JVM can run the CPU kernels: they use the Vector API, an incubator module that a JVM resolves only
 * when asked ({@code --add-modules jdk.incubator.vector}). Without it, the first use stops with an error that
 * names the flag instead of a {@code NoClassDefFoundError} from deep inside a kernel.
 */
public final class VectorSupport {
    /** The JVM option that makes the Vector API available. */
    public static final String FLAG = "--add-modules jdk.incubator.vector";
    private static final boolean PRESENT = present();

    private VectorSupport() {
    }

    private static boolean present() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector", false, VectorSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether the Vector API is available to the kernels. */
    public static boolean available() {
        return PRESENT;
    }

    /**
     * Returns quietly when the Vector API is available, else throws an {@link IllegalStateException} that says which
     * JVM option to add and where.
     */
    public static void require() {
        if (!PRESENT) {
            throw new IllegalStateException("Retina's CPU kernels need the Vector API (module jdk.incubator.vector),"
                    + " which this JVM was started without: add '" + FLAG + "' to the java command line (Maven"
                    + " Surefire and Failsafe: <argLine>; exec:exec: <arguments>; Gradle: jvmArgs; see the README's"
                    + " Install section)");
        }
    }
}
