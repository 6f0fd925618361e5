package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.onnx.Onnx;
import org.retina.optim.Adam;
import org.retina.tensor.Shape;
import org.retina.train.Evaluation;
import org.retina.train.Trainer;

/** The README's API example on a few hundred Fashion-MNIST images, then the model through ONNX and back. */
public final class Example {
    public static void main(String[] args) throws Exception {
        Model model = Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2)).add("bn1", BatchNorm2d.of()).add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2)).add("flatten", Flatten.of()).add("fc", Dense.of(10))
                .build().build(Shape.of(1, 28, 28), 42);
        System.out.print(model.summary());
        Dataset train = Datasets.take(DatasetStore.open("fashion-mnist", DatasetStore.Split.TRAIN, null), 800);
        Datasets.Split split = Datasets.holdOut(train, 200);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(),
                Adam.Config.of(1e-3).create(model.namedParameters()));
        trainer.fit(split.train(), split.validation(), 3, 32);
        Dataset test = Datasets.take(DatasetStore.open("fashion-mnist", DatasetStore.Split.TEST, null), 500);
        Evaluation ev = trainer.evaluate(test, 250);
        System.out.printf("test accuracy: %.4f%n", ev.accuracy());

        Path file = Files.createTempFile("example", ".onnx");
        Onnx.write(model, Map.of(), file);
        Model imported = Onnx.read(file).model();
        Evaluation again = new Trainer(imported, new SoftmaxCrossEntropy(),
                Adam.Config.of(1e-3).create(imported.namedParameters())).evaluate(test, 250);
        System.out.printf("onnx round trip accuracy: %.4f%n", again.accuracy());
        Files.delete(file);
    }
}
