package org.retina.cuda;

import java.util.ArrayList;
import java.util.List;
import org.retina.nn.Component;
import org.retina.nn.Layer;
import org.retina.nn.Merge;
import org.retina.nn.Mode;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A component the GPU has no kernel for, run by the CPU engine between two copies: its inputs come to the host,
 * its output goes back, and so do its parameters' values (before forward) and gradients (after backward). Correct
 * for every layer, slow only where such layers are used; {@link CudaEngine#hostOps()} names them.
 */
final class HostOp extends Op {
    private final List<Shape> inShapes;

    HostOp(String name, Component c, List<Shape> in, Shape out) {
        super(name, c, out);
        this.inShapes = List.copyOf(in);
    }

    private Tensor download(CudaEngine e, long ptr, Shape perSample, int n) {
        Tensor t = Tensor.zeros(perSample.withBatch(n));
        e.gpu.download(ptr, t.data(), 0, t.size());
        return t;
    }

    @Override
    void forward(CudaEngine e, int n, long[] x, long y, boolean train) {
        for (Parameter p : component.parameters()) {
            e.gpu.download(e.value(p), p.value().data(), 0, p.size());
        }
        Mode mode = train ? Mode.TRAIN : Mode.EVAL;
        Tensor out;
        if (component instanceof Layer l) {
            out = l.forward(download(e, x[0], inShapes.getFirst(), n), mode);
        } else {
            List<Tensor> xs = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                xs.add(download(e, x[i], inShapes.get(i), n));
            }
            out = ((Merge) component).forward(xs, mode);
        }
        e.gpu.upload(out.data(), 0, out.size(), y);
    }

    @Override
    void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc) {
        for (Parameter p : component.parameters()) {
            p.zeroGrad();
        }
        Tensor g = download(e, gy, out, n);
        List<Tensor> grads = component instanceof Layer l ? List.of(l.backward(g)) : ((Merge) component).backward(g);
        for (Parameter p : component.parameters()) {
            if (p.trainable()) {
                e.gpu.upload(p.grad().data(), 0, p.size(), e.grad(p));
            }
        }
        for (int i = 0; i < gx.length; i++) {
            if (gx[i] != 0) {
                Tensor t = grads.get(i);
                long tmp = e.scratch(4L * t.size());
                e.gpu.upload(t.data(), 0, t.size(), tmp);
                e.gpu.copyOrAdd(gx[i], tmp, t.size(), acc[i]);
            }
        }
    }
}
