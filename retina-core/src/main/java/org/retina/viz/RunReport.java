package org.retina.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.data.Dataset;
import org.retina.data.Datasets;
import org.retina.io.AtomicFile;
import org.retina.model.Model;
import org.retina.nn.Conv2d;
import org.retina.train.Evaluation;
import org.retina.train.History;
import org.retina.train.StepResult;
import org.retina.viz.HtmlReport.Figure;
import org.retina.viz.HtmlReport.Section;

/**
 * The pictures of a training run and its report page: curves, confusion matrix, predictions, mistakes, filters and
 * feature maps, written as PNG files beside {@code report.html} in the run folder.
 */
public final class RunReport {
    /** The page's file name in the run folder. */
    public static final String PAGE = "report.html";
    /** How many random test images the predictions grid shows (the Keras CIFAR-10 tutorial shows 32). */
    static final int SAMPLE = 32;
    static final int MISTAKES = 16;
    /** The sample is the same on every call, so a live page shows the same images epoch after epoch. */
    static final long SAMPLE_SEED = 4;

    private RunReport() {
    }

    /**
     * What a report is drawn from; {@code evaluation} (on the test set) and {@code test} may be null, which leaves
     * their pictures out; {@code scanForMistakes} bounds how many test images are searched for wrong predictions.
     */
    public record Run(String title, Model model, History history, Evaluation evaluation, Dataset test,
                      Map<String, Object> settings, Map<String, Object> timings, int scanForMistakes,
                      List<StepResult> steps) {
        /** Copies the steps. */
        public Run {
            steps = List.copyOf(steps);
        }

        /** A run without per-step figures (the curves are drawn per epoch). */
        public Run(String title, Model model, History history, Evaluation evaluation, Dataset test,
                   Map<String, Object> settings, Map<String, Object> timings, int scanForMistakes) {
            this(title, model, history, evaluation, test, settings, timings, scanForMistakes, List.of());
        }
    }

    /** How many of the sampled test images the Grad-CAM figure explains. */
    static final int EXPLAINED = 16;

    /** Every picture the run allows, in page order. */
    public static List<Figure> figures(Run run) {
        List<Figure> f = new ArrayList<>();
        boolean steps = !run.steps().isEmpty();
        if (steps || run.history() != null && !run.history().isEmpty()) {
            f.add(new Figure(Section.TRAINING, "training-curves", steps ? "Loss and accuracy, step by step"
                    : "Loss and accuracy per epoch", steps
                    ? "Training: each step's own batch (pale) and a moving average over it (solid); validation: after"
                    + " each epoch. The x axis counts epochs; the dashed line marks the epoch whose model is kept"
                    + " (lowest validation loss). A third panel shows the learning rate when a schedule changes it."
                    : "Training figures are averages over each epoch while the weights change; validation figures are"
                    + " measured after it. The dashed line marks the epoch whose model is kept (lowest validation"
                    + " loss).", Charts.trainingCurves(run.history() == null ? new History() : run.history(),
                    run.steps())));
        }
        if (run.evaluation() != null) {
            f.add(new Figure(Section.TEST, "confusion-matrix", "Confusion matrix",
                    "Each row is a true class; the cells off the diagonal are mistakes, darker where there are more.",
                    ConfusionMatrix.of(run.evaluation())));
        }
        Dataset test = run.test();
        if (test != null && test.size() > 0) {
            f.add(new Figure(Section.PREDICTIONS, "predictions", "Random test images",
                    "Titled \"predicted (true)\": blue when the model is right, red when it is wrong.",
                    PredictionGrid.of(SAMPLE + " test images picked at random",
                            PredictionGrid.sample(run.model(), test, SAMPLE, SAMPLE_SEED))));
            int scan = Math.min(run.scanForMistakes(), test.size());
            List<PredictionGrid.Item> wrong = PredictionGrid.mistakes(run.model(), Datasets.take(test, scan),
                    MISTAKES);
            if (!wrong.isEmpty()) {
                f.add(new Figure(Section.PREDICTIONS, "mistakes", "Mistakes",
                        scan == test.size() ? "The first " + wrong.size() + " test images the model gets wrong."
                        : String.format(Locale.ROOT, "The first %d wrong predictions among the first %,d test images.",
                                wrong.size(), scan),
                        PredictionGrid.of("Wrong predictions: predicted (true)", wrong)));
            }
        }
        List<String> convs = new ArrayList<>();
        for (Model.Node n : run.model().nodes()) {
            if (n.component() instanceof Conv2d) {
                convs.add(n.name());
            }
        }
        if (test != null && test.size() > 0 && run.model().inputShape().rank() == 3) {
            try {
                String layer = GradCam.defaultLayer(run.model());
                f.add(new Figure(Section.LEARNED, "grad-cam", "Where the network looks",
                        "Grad-CAM at " + layer + " for the predicted class, over " + EXPLAINED + " of the random test"
                        + " images above: bright where the evidence for that class lies (dark violet: none).",
                        PredictionGrid.of("Grad-CAM: predicted (true)", PredictionGrid.explained(run.model(), test,
                                EXPLAINED, SAMPLE_SEED))));
            } catch (IllegalArgumentException e) {
                // no layer Grad-CAM can read (e.g. batch norm after the last feature map): the figure is left out
            }
        }
        if (!convs.isEmpty()) {
            f.add(new Figure(Section.LEARNED, "filters", "Filters of the first convolution",
                    "The weights of " + convs.getFirst() + ": the patterns it looks for in the pixels.",
                    FilterGrid.of(run.model())));
        }
        if (test != null && test.size() > 0) {
            for (String layer : convs.size() > 1 ? List.of(convs.getFirst(), convs.getLast()) : convs) {
                f.add(new Figure(Section.LEARNED, "feature-maps-" + layer, "Feature maps of " + layer,
                        "What " + layer + " makes of the first test image (true class " + name(test, test.label(0))
                        + "): bright where its filter matches.", FeatureMaps.of(run.model(), test.sample(0), layer)));
            }
        }
        return f;
    }

    private static String name(Dataset d, int label) {
        return label < d.classNames().size() ? d.classNames().get(label) : Integer.toString(label);
    }

    /** The page of the run with these figures; {@code live} null for a finished run. */
    public static String html(Run run, List<Figure> figures, HtmlReport.Live live) {
        return HtmlReport.html(new HtmlReport.Page(run.title(), run.model().summary(), run.history(),
                run.evaluation(), figures, run.settings(), run.timings(), live));
    }

    /** Writes every picture as {@code <id>.png} and the page as {@value #PAGE} into {@code dir}; returns the files. */
    public static List<Path> write(Path dir, Run run) throws IOException {
        List<Figure> figures = figures(run);
        List<Path> written = new ArrayList<>();
        for (Figure fig : figures) {
            Path p = dir.resolve(fig.id() + ".png");
            Png.write(fig.image(), p);
            written.add(p);
        }
        Path page = dir.resolve(PAGE);
        AtomicFile.writeString(page, html(run, figures, null));
        written.add(page);
        return written;
    }
}
