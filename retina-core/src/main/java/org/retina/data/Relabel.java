package org.retina.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.retina.tensor.Shape;

/**
 * Views of a dataset with fewer classes, for fine-tuning on a smaller task: some of its classes numbered anew,
 * or a set of classes against all the rest.
 */
public final class Relabel {
    private Relabel() {
    }

    /**
     * The samples of {@code classes} only, labelled by their position in the list: {@code classes(fashion, 5, 7,
     * 9)} keeps sandals, sneakers and ankle boots as classes 0, 1 and 2.
     */
    public static Dataset classes(Dataset ds, int... classes) {
        int[] position = positions(ds, classes, "classes");
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            if (position[ds.label(i)] >= 0) {
                kept.add(i);
            }
        }
        int[] indices = kept.stream().mapToInt(Integer::intValue).toArray();
        int[] labels = Arrays.stream(indices).map(i -> position[ds.label(i)]).toArray();
        List<String> names = Arrays.stream(classes).mapToObj(c -> ds.classNames().get(c)).toList();
        return new View(ds, indices, labels, names);
    }

    /**
     * Every sample, labelled 1 when its class is one of {@code positives} and 0 otherwise: {@code binary(fashion,
     * 5, 7, 9)} is shoes against the rest. Class 0 is named {@code other}, class 1 by the joined names.
     */
    public static Dataset binary(Dataset ds, int... positives) {
        int[] position = positions(ds, positives, "binary");
        int[] indices = new int[ds.size()];
        int[] labels = new int[ds.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
            labels[i] = position[ds.label(i)] >= 0 ? 1 : 0;
        }
        String joined = String.join(" + ", Arrays.stream(positives).mapToObj(c -> ds.classNames().get(c)).toList());
        return new View(ds, indices, labels, List.of("other", joined));
    }

    /** For each class of {@code ds}, its position in {@code chosen}, or -1; checks the choice. */
    private static int[] positions(Dataset ds, int[] chosen, String what) {
        int n = ds.numClasses();
        if (chosen.length == 0) {
            throw new IllegalArgumentException(what + ": no classes given, expected some of 0.." + (n - 1));
        }
        int[] position = new int[n];
        Arrays.fill(position, -1);
        for (int k = 0; k < chosen.length; k++) {
            int c = chosen[k];
            if (c < 0 || c >= n) {
                throw new IllegalArgumentException(what + ": class " + c + " is outside the dataset's 0.." + (n - 1));
            }
            if (position[c] >= 0) {
                throw new IllegalArgumentException(what + ": class " + c + " is given twice");
            }
            position[c] = k;
        }
        return position;
    }

    /** Chosen samples of a base dataset with new labels and class names. */
    private record View(Dataset base, int[] indices, int[] labels, List<String> names) implements Dataset {
        public int size() { return indices.length; }
        public Shape sampleShape() { return base.sampleShape(); }
        public List<String> classNames() { return names; }
        public int label(int i) { return labels[i]; }
        public void copyPixels(int i, float[] dst, int off) { base.copyPixels(indices[i], dst, off); }
        public Optional<Normalization> normalization() { return base.normalization(); }
    }
}
