package org.retina.train;

import org.retina.data.Dataset;
import org.retina.model.Model;
import org.retina.tensor.Shape;

/** What the trainer checks of its data before and during an epoch. */
final class DataChecks {
    private DataChecks() {
    }

    /** Refuses data the model cannot train on, naming the part ({@code what}) and the mismatch. */
    static void check(Model model, Dataset d, String what) {
        Shape expected = model.inputShape();
        if (!d.sampleShape().equals(expected)) {
            throw new IllegalArgumentException("the " + what + " images are " + d.sampleShape() + ", the model expects "
                    + expected + " (choose a model for this dataset or resize the images)");
        }
        int outputs = model.outputShape().size();
        if (d.numClasses() > outputs) {
            throw new IllegalArgumentException("the " + what + " data has " + d.numClasses()
                    + " classes, the model only " + outputs + " outputs");
        }
        if (d.size() == 0) {
            throw new IllegalArgumentException("the " + what + " data is empty");
        }
    }

    /** How many of the batch's predictions are its labels. */
    static int countCorrect(int[] predicted, int[] labels) {
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                c++;
            }
        }
        return c;
    }
}
