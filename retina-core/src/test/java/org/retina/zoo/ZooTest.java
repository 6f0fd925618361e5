package org.retina.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.model.Model;
import org.retina.model.Models;
import org.retina.model.Sequential;
import org.retina.tensor.Shape;

/** The registry and the parameter counts of every architecture; building and counting is fast, no forward. */
class ZooTest {

    /** Parameters of a conv layer with bias: {@code k*k*c*n + n}. */
    private static long conv(int k, int c, int n) {
        return (long) k * k * c * n + n;
    }

    /** Parameters of a dense layer: {@code in*out + out}. */
    private static long dense(int in, int out) {
        return (long) in * out + out;
    }

    private static long params(Model m, String node) {
        return m.node(node).component().parameters().stream().mapToLong(p -> p.size()).sum();
    }

    @Test
    void registryListsEveryArchitectureWithDescriptionAndInput() {
        assertEquals(List.of("fashion-cnn", "cifar-cnn", "lenet5", "alexnet", "zfnet", "vgg16", "googlenet", "resnet18",
                "resnet18-cifar", "resnet34", "resnet50", "resnext50_32x4d", "mobilenet_v2", "efficientnet_b0", "densenet121"),
                Zoo.names());
        for (String name : Zoo.names()) {
            assertFalse(Zoo.description(name).isBlank(), name);
            assertFalse(Zoo.description(name).contains("\n"), name);
            assertFalse(Zoo.blueprint(name, 7).model().isBuilt(), name + ": factories return unbuilt models");
        }
        assertEquals(10, Zoo.entry("cifar-cnn").defaultClasses());
        assertEquals(1000, Zoo.entry("resnet50").defaultClasses());
        assertEquals(Shape.of(1, 28, 28), Zoo.defaultInput("fashion-cnn"));
        assertEquals(Shape.of(3, 32, 32), Zoo.defaultInput("cifar-cnn"));
        assertEquals(Shape.of(1, 32, 32), Zoo.defaultInput("lenet5"));
        assertEquals(Shape.of(3, 227, 227), Zoo.defaultInput("alexnet"));
        assertEquals(Shape.of(3, 32, 32), Zoo.defaultInput("resnet18-cifar"));
        for (String name : List.of("zfnet", "vgg16", "googlenet", "resnet18", "resnet34", "resnet50", "resnext50_32x4d",
                "mobilenet_v2", "efficientnet_b0", "densenet121")) {
            assertEquals(Shape.of(3, 224, 224), Zoo.defaultInput(name), name);
        }
    }

    @Test
    void unknownNameIsNamedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.create("vgg19", 10));
        assertEquals("zoo: no model named 'vgg19'; known models: fashion-cnn, cifar-cnn, lenet5, alexnet, zfnet,"
                + " vgg16, googlenet, resnet18, resnet18-cifar, resnet34, resnet50, resnext50_32x4d, mobilenet_v2, efficientnet_b0,"
                + " densenet121", e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> Zoo.blueprint("lenet5", 0));
        assertEquals("lenet5: numClasses is 0, expected >= 1", c.getMessage());
    }

    @Test
    void fashionCnnBySeed000() {
        Model m = Zoo.create("fashion-cnn", 10);
        assertEquals(List.of("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2", "flatten", "fc"),
                m.names());
        assertEquals(Shape.of(32, 7, 7), m.shapeOf("pool2"));
        long bn1 = 2 * 16, bn2 = 2 * 32;
        // 416 + 32 + 12,832 + 64 + 15,690
        long total = conv(5, 1, 16) + bn1 + conv(5, 16, 32) + bn2 + dense(32 * 7 * 7, 10);
        assertEquals(29_034, total);
        assertEquals(total, m.summary().totalParameters());
        assertEquals(Shape.of(10), m.outputShape());
    }

    @Test
    void cifarCnnBySeed004() {
        Model m = Zoo.create("cifar-cnn", 10, 1);
        Map<String, Long> keras = new LinkedHashMap<>();
        keras.put("conv1", 208L);
        keras.put("conv2", 2_080L);
        keras.put("conv3", 8_256L);
        keras.put("fc1", 512_500L);
        keras.put("fc2", 5_010L);
        keras.forEach((node, count) -> assertEquals(count, params(m, node), node));
        assertEquals(Shape.of(64, 4, 4), m.shapeOf("pool3"));
        assertEquals(528_054, m.summary().totalParameters());
    }

    @Test
    void leNet5() {
        Model m = Zoo.create("lenet5", 10);
        assertEquals(Shape.of(6, 28, 28), m.shapeOf("c1"));
        assertEquals(Shape.of(6, 14, 14), m.shapeOf("s2"));
        assertEquals(Shape.of(16, 10, 10), m.shapeOf("c3"));
        assertEquals(Shape.of(16, 5, 5), m.shapeOf("s4"));
        assertEquals(Shape.of(120, 1, 1), m.shapeOf("c5"));
        long total = conv(5, 1, 6) + conv(5, 6, 16) + conv(5, 16, 120) + dense(120, 84) + dense(84, 10);
        assertEquals(61_706, total);
        assertEquals(total, m.summary().totalParameters());
    }

    @Test
    void alexNetBySeed002Table() {
        Model m = Zoo.create("alexnet", 1000);
        String[] nodes = {"features.0", "features.3", "features.6", "features.8", "features.10", "classifier.1",
            "classifier.4", "classifier.6"};
        long[] table = {34_944, 614_656, 885_120, 1_327_488, 884_992, 37_752_832, 16_781_312, 4_097_000};
        for (int i = 0; i < nodes.length; i++) {
            assertEquals(table[i], params(m, nodes[i]), nodes[i]);
        }
        assertEquals(Shape.of(96, 55, 55), m.shapeOf("features.0"));
        assertEquals(Shape.of(96, 27, 27), m.shapeOf("features.2"));
        assertEquals(Shape.of(256, 27, 27), m.shapeOf("features.3"));
        assertEquals(Shape.of(256, 13, 13), m.shapeOf("features.5"));
        assertEquals(Shape.of(256, 13, 13), m.shapeOf("features.10"), "Conv-5 is 13x13x256, not the prose's 27x27");
        assertEquals(Shape.of(256, 6, 6), m.shapeOf("features.12"));
        assertEquals(62_378_344, m.summary().totalParameters());
        assertEquals(0, m.summary().rows().stream().mapToInt(r -> r.droppedPixels()).sum(), "227 fits exactly");
    }

    @Test
    void alexNetSizesFromTheDenseVolume() {
        assertEquals(Shape.of(256, 6, 6), AlexNet.create(10, 258).build().shapeOf("features.12"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlexNet.create(10, 224));
        assertTrue(e.getMessage().startsWith("alexnet: input 224x224 does not give FC-1 its 6x6x256 volume"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AlexNet.create(10, 259));
    }

    @Test
    void alexNetSlidesOverLargerImagesOnceConvolutional() {
        Sequential m = (Sequential) Zoo.create("alexnet", 1000);
        // seed 003 section 2.5: FC-1 becomes a 6x6 convolution over 256 channels, FC-2 and FC-3 1x1 ones; with a
        // total stride of 4 * 2 * 2 * 2 = 32, five more strides of image give a 6x6 map of class scores
        Sequential fc = Models.toFullyConvolutional(m, Shape.of(3, 227 + 5 * 32, 227 + 5 * 32));
        assertEquals(Shape.of(1000, 6, 6), fc.outputShape());
        assertEquals(Shape.of(4096, 256, 6, 6), fc.namedParameters().get("classifier.1.weight").shape());
        assertEquals(62_378_344, fc.summary().totalParameters());
    }

    @Test
    void zfNetHasThePaperSizes() {
        Model m = Zoo.create("zfnet", 1000);
        assertEquals(Shape.of(96, 110, 110), m.shapeOf("features.0"));
        assertEquals(Shape.of(96, 55, 55), m.shapeOf("features.2"));
        assertEquals(Shape.of(256, 26, 26), m.shapeOf("features.3"));
        assertEquals(Shape.of(256, 13, 13), m.shapeOf("features.5"));
        assertEquals(Shape.of(256, 13, 13), m.shapeOf("features.10"));
        assertEquals(Shape.of(256, 6, 6), m.shapeOf("features.12"));
        long total = conv(7, 3, 96) + conv(5, 96, 256) + conv(3, 256, 384) + conv(3, 384, 384) + conv(3, 384, 256)
                + dense(256 * 6 * 6, 4096) + dense(4096, 4096) + dense(4096, 1000);
        assertEquals(62_357_608, total);
        assertEquals(total, m.summary().totalParameters());
    }

    @Test
    void vgg16HasTorchvisionNamesAndCount() {
        Model m = Zoo.create("vgg16", 1000);
        assertEquals(138_357_544, m.summary().totalParameters());
        List<String> expected = new ArrayList<>();
        for (int i : new int[] {0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28}) {
            expected.add("features." + i + ".weight");
            expected.add("features." + i + ".bias");
        }
        for (int i : new int[] {0, 3, 6}) {
            expected.add("classifier." + i + ".weight");
            expected.add("classifier." + i + ".bias");
        }
        assertEquals(expected, List.copyOf(m.namedParameters().keySet()));
        assertEquals(Shape.of(512, 7, 7), m.shapeOf("features.30"));
        assertEquals(Shape.of(4096, 25088), m.namedParameters().get("classifier.0.weight").shape());
    }

    @Test
    void vgg16RefusesSizesNoPoolTakesTo7x7() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vgg16.create(10, 256));
        assertTrue(e.getMessage().startsWith("vgg16: input 256x256 ends in a 8x8 map"), e.getMessage());
        assertTrue(Vgg16.create(10, 448).model().names().contains("avgpool"));
        assertFalse(Vgg16.create(10, 255).model().names().contains("avgpool"));
    }

    @Test
    void googLeNetHasTorchvisionNamesAndCount() {
        Model m = Zoo.create("googlenet", 1000);
        assertEquals(6_624_904, m.summary().totalParameters());
        Map<String, ?> p = m.namedParameters();
        for (String key : List.of("conv1.conv.weight", "conv1.bn.weight", "conv1.bn.bias", "conv3.conv.weight",
                "inception3a.branch1.conv.weight", "inception3a.branch2.1.conv.weight",
                "inception3a.branch3.1.bn.bias", "inception5b.branch4.1.conv.weight", "fc.weight", "fc.bias")) {
            assertTrue(p.containsKey(key), key);
        }
        // 3 stem convs and 6 per Inception block (9 blocks), each conv weight + bn weight + bn bias; fc weight + bias
        assertEquals(3 * 3 + 9 * 6 * 3 + 2, p.size());
        assertFalse(p.containsKey("conv1.conv.bias"), "BasicConv2d has no bias");
        assertEquals(Shape.of(32, 16, 3, 3), m.namedParameters().get("inception3a.branch3.1.conv.weight").shape(),
                "torchvision's 5x5 branch is 3x3");
        assertEquals(Shape.of(1024, 7, 7), m.shapeOf("inception5b"));
        assertEquals(Shape.of(832, 7, 7), m.shapeOf("maxpool4"));
    }

    @Test
    void resNetsHaveTorchvisionNamesAndCounts() {
        Model r18 = Zoo.create("resnet18", 1000);
        assertEquals(11_689_512, r18.summary().totalParameters());
        Map<String, ?> p = r18.namedParameters();
        for (String key : List.of("conv1.weight", "bn1.weight", "bn1.bias", "layer1.0.conv1.weight",
                "layer1.1.bn2.bias", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.weight",
                "layer4.1.conv2.weight", "fc.weight", "fc.bias")) {
            assertTrue(p.containsKey(key), key);
        }
        assertFalse(p.containsKey("layer1.0.downsample.0.weight"), "layer1 keeps 64 channels and stride 1");
        assertTrue(r18.namedBuffers().containsKey("layer3.0.downsample.1.running_var"));
        // 20 convs and 20 batch norms (weight + bias), fc weight + bias
        assertEquals(20 + 20 * 2 + 2, p.size());
        assertEquals(Shape.of(512, 7, 7), r18.shapeOf("layer4.1.relu"));
        assertEquals(21_797_672, Zoo.create("resnet34", 1000).summary().totalParameters());
        Model r50 = Zoo.create("resnet50", 1000);
        assertEquals(25_557_032, r50.summary().totalParameters());
        assertTrue(r50.namedParameters().containsKey("layer1.0.downsample.0.weight"), "64 -> 256 channels");
        assertEquals(Shape.of(2048, 7, 7), r50.shapeOf("layer4.2.relu"));
    }

    /** The counts torchvision states for its models (the sum of its parameters' sizes, 1000 classes). */
    @Test
    void modernFamiliesHaveTorchvisionCountsAndNames() {
        Model mnv2 = Zoo.create("mobilenet_v2", 1000);
        assertEquals(3_504_872, mnv2.summary().totalParameters());
        assertEquals(Shape.of(1280, 7, 7), mnv2.shapeOf("features.18.2"));
        Model eff = Zoo.create("efficientnet_b0", 1000);
        assertEquals(5_288_548, eff.summary().totalParameters());
        assertTrue(eff.namedParameters().containsKey("features.2.0.block.2.fc1.weight"), "the SE of block 2.0");
        Model dense = Zoo.create("densenet121", 1000);
        assertEquals(7_978_856, dense.summary().totalParameters());
        assertEquals(Shape.of(1024, 7, 7), dense.shapeOf("features.relu5"));
        Model rx = Zoo.create("resnext50_32x4d", 1000);
        assertEquals(25_028_904, rx.summary().totalParameters());
        assertEquals(Shape.of(2048, 7, 7), rx.shapeOf("layer4.2.relu"));
    }

    @Test
    void imageNetModelsTakeOtherSizesAndClasses() {
        Model r18 = ResNet.resnet18(10, 32).build();
        assertEquals(Shape.of(512, 1, 1), r18.shapeOf("layer4.1.relu"));
        assertEquals(11_689_512 - dense(512, 1000) + dense(512, 10), r18.summary().totalParameters());
        assertEquals(Shape.of(1024, 1, 1), GoogLeNet.create(10, 31).build().shapeOf("inception5b"));
        assertEquals(Shape.of(5), GoogLeNet.create(5, 96).build().outputShape());
    }

    @Test
    void resnet18ForCifarHasTheStemCifarWorkUses() {
        Model r = Zoo.create("resnet18-cifar", 10);
        // the ImageNet network's count less the 7x7 stem's difference and the 1000-class head's
        assertEquals(11_689_512 - 64 * 3 * (7 * 7 - 3 * 3) - dense(512, 1000) + dense(512, 10),
                r.summary().totalParameters());
        assertEquals(11_173_962, r.summary().totalParameters());
        assertEquals(Shape.of(64, 32, 32), r.shapeOf("relu"));
        assertEquals(Shape.of(512, 4, 4), r.shapeOf("layer4.1.relu"));
        assertFalse(r.names().contains("maxpool"));
    }
}
