package org.retina.kernel;

/**
 * Per-thread scratch arrays that kernels reuse from call to call, so the hot path allocates only when a
 * larger size than ever before is asked for. A slot's contents are undefined on return.
 */
public final class Workspace {
    /** Slots: one per distinct scratch use inside a single kernel call. */
    public static final int COL = 0;
    public static final int PARTIAL = 1;
    public static final int PACK_B = 2;
    public static final int TMP = 3;
    public static final int TILE = 4;
    public static final int PAD = 5;
    public static final int PAD2 = 6;
    public static final int WEIGHTS = 7;
    public static final int BLOCK = 8;
    public static final int BLOCK_Z = 9;
    public static final int LANES = 10;
    public static final int EPILOGUE = 11;
    private static final int SLOTS = 12;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    private Workspace() {
    }

    /** A scratch array of at least {@code size} floats for this thread and slot. */
    public static float[] get(int slot, int size) {
        float[][] arrays = ARRAYS.get();
        float[] a = arrays[slot];
        if (a.length < size) {
            a = new float[size];
            arrays[slot] = a;
        }
        return a;
    }
}
