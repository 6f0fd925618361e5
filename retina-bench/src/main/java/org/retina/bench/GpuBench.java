package org.retina.bench;

import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.retina.data.Batch;
import org.retina.device.Accelerator;
import org.retina.device.AcceleratorProvider;
import org.retina.device.Devices;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.tensor.Shape;
import org.retina.train.Trainer;
import org.retina.zoo.ResNet;

/**
 * The GPU groups of {@code ./retina bench --device cuda}, measured through the public API as a user would train:
 * {@link Trainer#step} runs the whole step on the device and brings the loss and the predictions back each step;
 * inference copies each batch in and the output back. Inputs are random images held in host memory, cycled.
 */
final class GpuBench {
    /** The GPU groups in run order; each is one call of the PyTorch script too. */
    static final List<String> GROUPS = List.of("gpu_seed", "gpu_resnet18");
    /** The batch of the inference figures, unless {@code --infer-batch} says otherwise. */
    static final int INFER_BATCH = 1024;
    /** Host memory the cycled batches of one measurement may take; at least two batches are kept. */
    private static final long POOL_BYTES = 1L << 30;

    private final String device;
    private final double seconds;
    private final int inferBatch;
    private String description;

    GpuBench(String device, double seconds, int inferBatch) {
        this.device = device;
        this.seconds = seconds;
        this.inferBatch = inferBatch;
    }

    /** Null when {@code device} can be used here, else why not. */
    static String unavailableReason(String device) {
        try {
            Devices.check(device);
            for (AcceleratorProvider p : ServiceLoader.load(AcceleratorProvider.class)) {
                if (p.name().equals(device)) {
                    return p.unavailableReason();
                }
            }
            return "no provider of device '" + device + "' on the class path";
        } catch (ServiceConfigurationError | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The device in words, as its accelerator describes it, once a group has run; else the device's name. */
    String description() {
        return description == null ? device : description;
    }

    void run(String group, Map<String, Double> results) {
        switch (group) {
            case "gpu_seed" -> {
                Supplier<Model> seed = () -> Networks.seed().model();
                Shape in = Networks.seed().input();
                training("seed", seed, in, 64, results);
                training("seed", seed, in, 256, results);
                inference("seed", seed, in, inferBatch, results);
            }
            case "gpu_resnet18" -> {
                Supplier<Model> resnet = () -> ResNet.resnet18(1000).model();
                training("resnet18", resnet, ResNet.INPUT, 64, results);
                inference("resnet18", resnet, ResNet.INPUT, inferBatch, results);
            }
            default -> throw new IllegalArgumentException("no GPU benchmark group '" + group + "'; groups: " + GROUPS);
        }
    }

    /** Batches cycled through: as many as fit in {@link #POOL_BYTES}, between 2 and {@link Measure#POOL}. */
    static int pool(Shape sample, int batch) {
        long bytes = 4L * sample.size() * batch;
        return (int) Math.max(2, Math.min(Measure.POOL, POOL_BYTES / bytes));
    }

    /** Training images/s: a whole step on the device (cross-entropy, Adam lr 1e-3), loss and predictions back. */
    void training(String key, Supplier<Model> make, Shape input, int batch, Map<String, Double> results) {
        Model model = make.get().build(input, 0);
        int pool = pool(input, batch);
        Batch[] batches = Measure.data(input, batch, pool);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(),
                Adam.Config.of(1e-3).create(model.namedParameters()), Trainer.Options.defaults().withDevice(device));
        try {
            int[] predicted = new int[batch];
            int[] i = {0};
            double[] t = Measure.timed(() -> trainer.step(batches[i[0]++ % pool], predicted), seconds, 5);
            trainer.await();
            results.put(key + ".cuda_train" + batch + "_ips", batch / Measure.median(t));
        } finally {
            trainer.close();
        }
    }

    /** Inference images/s in evaluation mode: each batch copied in, the output copied back. */
    void inference(String key, Supplier<Model> make, Shape input, int batch, Map<String, Double> results) {
        Model model = make.get().build(input, 0);
        int pool = pool(input, batch);
        Batch[] batches = Measure.data(input, batch, pool);
        try (Accelerator acc = Devices.open(device, model, null, null, 0)) {
            description = acc.description();
            int[] i = {0};
            double[] t = Measure.timed(() -> acc.forward(batches[i[0]++ % pool].x()), seconds, 5);
            acc.await();
            results.put(key + ".cuda_infer" + batch + "_ips", batch / Measure.median(t));
        }
    }
}
