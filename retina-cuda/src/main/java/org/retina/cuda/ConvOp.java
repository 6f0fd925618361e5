package org.retina.cuda;

import java.util.HashMap;
import java.util.Map;
import org.retina.kernel.ConvGeometry;
import org.retina.nn.Conv2d;
import org.retina.tensor.Parameter;

/**
 * {@link Conv2d} on cuDNN: algorithms for forward, backward data and backward filter found once per batch size
 * (cuDNN runs each candidate and the fastest that fits the workspace limit wins), bias through cuDNN too.
 */
final class ConvOp extends Op {
    /** The most workspace one algorithm may take. */
    private static final long MAX_WORKSPACE = 1L << 30;

    /** Descriptors and algorithms for one batch size. */
    private record Plan(long x, long y, long fwdConv, int fwdAlgo, long dataConv, int dataAlgo, long filterConv,
                        int filterAlgo, long workspace) {
    }

    private final ConvGeometry g;
    private final Parameter weight;
    private final Parameter bias;
    private final long filter;
    private final long biasDesc;
    private final Map<Integer, Plan> plans = new HashMap<>();
    private Plan plan;

    ConvOp(String name, Conv2d conv, CudaEngine e) {
        super(name, conv, org.retina.tensor.Shape.of(conv.geometry().outC(), conv.geometry().outH(),
                conv.geometry().outW()));
        g = conv.geometry();
        weight = conv.weight();
        bias = conv.parameters().size() > 1 ? conv.parameters().get(1) : null;
        filter = e.gpu.dnn.filter(g.outC(), g.groupInC(), g.kH(), g.kW());
        biasDesc = e.gpu.dnn.tensor(1, g.outC(), 1, 1);
    }

    /** Whether cuDNN can run this geometry: it pads both sides alike. */
    static boolean supports(Conv2d conv) {
        ConvGeometry g = conv.geometry();
        return g.padTop() == g.padBottom() && g.padLeft() == g.padRight();
    }

    private long convolution(CudaEngine e, int mathType) {
        return e.gpu.dnn.convolution(g.padTop(), g.padLeft(), g.strideH(), g.strideW(), g.dilationH(), g.dilationW(),
                g.groups(), mathType);
    }

    @Override
    void prepare(CudaEngine e, int n) {
        plan = plans.get(n);
        if (plan != null) {
            e.gpu.workspace(plan.workspace);
            return;
        }
        CuDnn dnn = e.gpu.dnn;
        long h = e.gpu.dnnHandle;
        long x = dnn.tensor(n, g.inC(), g.inH(), g.inW());
        long y = dnn.tensor(n, g.outC(), g.outH(), g.outW());
        int math = e.gpu.tf32 ? CuDnn.DEFAULT_MATH : CuDnn.FMA_MATH;
        boolean fma = !e.gpu.tf32;
        long fc = convolution(e, math);
        CuDnn.Perf f = dnn.find(CuDnn.Pass.FORWARD, h, x, filter, fc, y, MAX_WORKSPACE, fma);
        dnn.setMathType(fc, f.mathType());
        long dc = 0;
        long fcBack = 0;
        int dataAlgo = 0;
        int filterAlgo = 0;
        long ws = f.workspace();
        if (e.training()) {
            dc = convolution(e, math);
            CuDnn.Perf d = dnn.find(CuDnn.Pass.BACKWARD_DATA, h, filter, y, dc, x, MAX_WORKSPACE, fma);
            dnn.setMathType(dc, d.mathType());
            fcBack = convolution(e, math);
            CuDnn.Perf w = dnn.find(CuDnn.Pass.BACKWARD_FILTER, h, x, y, fcBack, filter, MAX_WORKSPACE, fma);
            dnn.setMathType(fcBack, w.mathType());
            dataAlgo = d.algo();
            filterAlgo = w.algo();
            ws = Math.max(ws, Math.max(d.workspace(), w.workspace()));
        }
        plan = new Plan(x, y, fc, f.algo(), dc, dataAlgo, fcBack, filterAlgo, ws);
        plans.put(n, plan);
        e.gpu.workspace(ws);
    }

    @Override
    void close(CudaEngine e) {
        CuDnn dnn = e.gpu.dnn;
        for (Plan p : plans.values()) {
            dnn.destroyTensors(p.x, p.y);
            dnn.destroyConvolutions(p.fwdConv, p.dataConv, p.filterConv);
        }
        plans.clear();
        dnn.destroyFilter(filter);
        dnn.destroyTensors(biasDesc);
    }

    @Override
    void forward(CudaEngine e, int n, long[] x, long y, boolean train) {
        Gpu gpu = e.gpu;
        long ws = gpu.workspace(plan.workspace);
        gpu.dnn.forward(gpu.dnnHandle, gpu.one, plan.x, x[0], filter, e.value(weight), plan.fwdConv, plan.fwdAlgo,
                ws, plan.workspace, gpu.zero, plan.y, y);
        if (bias != null) {
            gpu.dnn.addTensor(gpu.dnnHandle, gpu.one, biasDesc, e.value(bias), gpu.one, plan.y, y);
        }
    }

    @Override
    void backward(CudaEngine e, int n, long[] x, long y, long gy, long[] gx, boolean[] acc) {
        Gpu gpu = e.gpu;
        long ws = gpu.workspace(plan.workspace);
        if (weight.trainable()) {
            gpu.dnn.backwardFilter(gpu.dnnHandle, gpu.one, plan.x, x[0], plan.y, gy, plan.filterConv,
                    plan.filterAlgo, ws, plan.workspace, gpu.zero, filter, e.grad(weight));
        }
        if (bias != null && bias.trainable()) {
            gpu.dnn.backwardBias(gpu.dnnHandle, gpu.one, plan.y, gy, gpu.zero, biasDesc, e.grad(bias));
        }
        if (gx[0] != 0) {
            gpu.dnn.backwardData(gpu.dnnHandle, gpu.one, filter, e.value(weight), plan.y, gy, plan.dataConv,
                    plan.dataAlgo, ws, plan.workspace, acc[0] ? gpu.one : gpu.zero, plan.x, gx[0]);
        }
    }
}
