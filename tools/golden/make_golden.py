#!/usr/bin/env python3
"""Retina's PyTorch reference vectors ("golden cases").

Usage: make_golden.py OUTDIR

Writes one folder per case (case.json and one .npy file per array), MANIFEST.json listing the cases with
the versions that made them, and README.md describing the format. The Java tests read the copy committed
at retina-core/src/test/resources/golden; tools/golden/README.md says how to regenerate it.

How the references are made:

* op cases: inputs are drawn in float32 with a fixed seed per case; the op runs in float64 (PyTorch,
  autograd for the gradients) and each result is rounded once to float32. The same op run by PyTorch in
  float32 on the same inputs gives f32_torch_max_abs_err, recorded for information.
* gradients are those of sum(y * gy) for a random upstream gradient gy (cross-entropy: of the loss itself).
* optimizers: three steps from p0 with the same gradient g each time, in float64.
* e2e_mnistnet_adam_3steps: a small CNN trained for three Adam steps in float32, as a user's run would be;
  a float64 re-run from the same start gives f64_vs_f32_max_abs_diff.

Everything is deterministic: numpy's PCG64 seeded per case name draws the inputs, torch.manual_seed fixes
the e2e network's initial weights, and PyTorch runs on one CPU thread.
"""

import datetime
import json
import math
import os
import platform
import sys
import zlib
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F

FORMAT = 1
BASE_SEED = 20261205
E2E_TORCH_SEED = 0

OP_RTOL = 1e-4
OPT_RTOL = 1e-5
OPT_ATOL = 1e-6


# ----------------------------------------------------------------------------------------------------------------
# tolerances


def round_up_125(v):
    """The smallest of 1, 2, 5 x 10^k that is >= v."""
    k = math.floor(math.log10(v))
    for mant in (1, 2, 5, 10):
        cand = float(f"{mant}e{k}")
        if cand >= v * (1 - 1e-12):
            return cand
    raise AssertionError(v)


def default_atol(ref):
    return round_up_125(1e-5 * max(1.0, float(np.max(np.abs(ref))) if ref.size else 1.0))


def tolerance_used(got, ref, rtol, atol):
    """The largest |got - ref| / (atol + rtol*|ref|): at most 1 passes."""
    got, ref = np.asarray(got, np.float64), np.asarray(ref, np.float64)
    return float(np.max(np.abs(got - ref) / (atol + rtol * np.abs(ref)))) if ref.size else 0.0


def max_abs_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)))) if a.size else 0.0


# ----------------------------------------------------------------------------------------------------------------
# the ops, run by PyTorch in a chosen dtype on float32 numpy inputs; each returns the outputs as numpy arrays
# in that dtype (the caller rounds them to float32)


def _t(a, dtype, grad=False):
    t = torch.from_numpy(np.array(a)).to(dtype)
    return t.requires_grad_(grad)


def _np(t):
    return t.detach().cpu().numpy()


def _backward(y, leaves, gy, dtype):
    y.backward(_t(gy, dtype))
    return [_np(leaf.grad) for leaf in leaves]


def run_conv2d(p, a, dtype):
    x, w = _t(a["x"], dtype, True), _t(a["w"], dtype, True)
    b = _t(a["b"], dtype, True) if p["bias"] else None
    y = F.conv2d(x, w, b, stride=tuple(p["stride"]), padding=tuple(p["padding"]),
                 dilation=tuple(p["dilation"]), groups=p["groups"])
    leaves = [x, w] + ([b] if b is not None else [])
    grads = _backward(y, leaves, a["gy"], dtype)
    out = OrderedDict(y=_np(y), gx=grads[0], gw=grads[1])
    if b is not None:
        out["gb"] = grads[2]
    return out


def run_maxpool2d(p, a, dtype):
    x = _t(a["x"], dtype, True)
    y = F.max_pool2d(x, tuple(p["kernel"]), tuple(p["stride"]), tuple(p["padding"]), tuple(p["dilation"]),
                     ceil_mode=p["ceil_mode"])
    (gx,) = _backward(y, [x], a["gy"], dtype)
    return OrderedDict(y=_np(y), gx=gx)


def run_avgpool2d(p, a, dtype):
    x = _t(a["x"], dtype, True)
    y = F.avg_pool2d(x, tuple(p["kernel"]), tuple(p["stride"]), tuple(p["padding"]), ceil_mode=p["ceil_mode"],
                     count_include_pad=p["count_include_pad"], divisor_override=p["divisor_override"])
    (gx,) = _backward(y, [x], a["gy"], dtype)
    return OrderedDict(y=_np(y), gx=gx)


def run_lppool2d(p, a, dtype):
    assert list(p["padding"]) == [0, 0], "lp_pool2d takes no padding"
    x = _t(a["x"], dtype, True)
    y = F.lp_pool2d(x, p["norm_type"], tuple(p["kernel"]), tuple(p["stride"]), ceil_mode=p["ceil_mode"])
    (gx,) = _backward(y, [x], a["gy"], dtype)
    return OrderedDict(y=_np(y), gx=gx)


def run_batchnorm2d(p, a, dtype):
    x, w, b = _t(a["x"], dtype, True), _t(a["w"], dtype, True), _t(a["b"], dtype, True)
    rm, rv = _t(a["running_mean"], dtype), _t(a["running_var"], dtype)
    y = F.batch_norm(x, rm, rv, w, b, training=p["training"], momentum=p["momentum"], eps=p["eps"])
    gx, gw, gb = _backward(y, [x, w, b], a["gy"], dtype)
    out = OrderedDict(y=_np(y), gx=gx, gw=gw, gb=gb)
    if p["training"]:
        out["running_mean_out"] = _np(rm)
        out["running_var_out"] = _np(rv)
    return out


def run_linear(p, a, dtype):
    x, w = _t(a["x"], dtype, True), _t(a["w"], dtype, True)
    b = _t(a["b"], dtype, True) if p["bias"] else None
    y = F.linear(x, w, b)
    grads = _backward(y, [x, w] + ([b] if b is not None else []), a["gy"], dtype)
    out = OrderedDict(y=_np(y), gx=grads[0], gw=grads[1])
    if b is not None:
        out["gb"] = grads[2]
    return out


ACTIVATIONS = {
    "relu": lambda x, p: F.relu(x),
    "leaky_relu": lambda x, p: F.leaky_relu(x, p["negative_slope"]),
    "sigmoid": lambda x, p: torch.sigmoid(x),
    "tanh": lambda x, p: torch.tanh(x),
    "hardsigmoid": lambda x, p: F.hardsigmoid(x),
    "hardswish": lambda x, p: F.hardswish(x),
    "silu": lambda x, p: F.silu(x),
    "softmax": lambda x, p: F.softmax(x, dim=p["dim"]),
    "log_softmax": lambda x, p: F.log_softmax(x, dim=p["dim"]),
}


def run_activation(op):
    def run(p, a, dtype):
        x = _t(a["x"], dtype, True)
        y = ACTIVATIONS[op](x, p)
        (gx,) = _backward(y, [x], a["gy"], dtype)
        return OrderedDict(y=_np(y), gx=gx)
    return run


def run_cross_entropy(p, a, dtype):
    x = _t(a["x"], dtype, True)
    labels = torch.from_numpy(a["labels"].astype(np.int64))
    loss = F.cross_entropy(x, labels, reduction=p["reduction"], label_smoothing=p["label_smoothing"])
    loss.backward()
    return OrderedDict(loss=_np(loss).reshape(1), gx=_np(x.grad))


def run_locally_connected2d(p, a, dtype):
    # no PyTorch layer: unfold gives the columns [N, C*kh*kw, L] (channel, then kernel row, then kernel
    # column), and position l = i*outW + j has its own weight matrix w[l] of shape [out, C*kh*kw]
    x, w, b = _t(a["x"], dtype, True), _t(a["w"], dtype, True), _t(a["b"], dtype, True)
    oh, ow = p["output_size"]
    cols = F.unfold(x, tuple(p["kernel"]), padding=tuple(p["padding"]), stride=tuple(p["stride"]))
    assert cols.shape[2] == oh * ow
    y = torch.einsum("lok,nkl->nol", w, cols).reshape(x.shape[0], p["out_channels"], oh, ow) + b
    gx, gw, gb = _backward(y, [x, w, b], a["gy"], dtype)
    return OrderedDict(y=_np(y), gx=gx, gw=gw, gb=gb)


def run_optimizer(p, a, dtype):
    param = _t(a["p0"], dtype, True)
    name = p["optimizer"]
    if name == "sgd":
        opt = torch.optim.SGD([param], lr=p["lr"], momentum=p.get("momentum", 0.0),
                              dampening=p.get("dampening", 0.0), weight_decay=p.get("weight_decay", 0.0),
                              nesterov=p.get("nesterov", False))
    elif name in ("adam", "adamw"):
        cls = torch.optim.Adam if name == "adam" else torch.optim.AdamW
        opt = cls([param], lr=p["lr"], betas=tuple(p["betas"]), eps=p["eps"], weight_decay=p["weight_decay"])
    elif name == "rmsprop":
        opt = torch.optim.RMSprop([param], lr=p["lr"], alpha=p["alpha"], eps=p["eps"],
                                  weight_decay=p["weight_decay"], momentum=p["momentum"], centered=p["centered"])
    else:
        raise ValueError(name)
    g = _t(a["g"], dtype)
    out = OrderedDict()
    for step in range(1, p["steps"] + 1):
        param.grad = g.clone()
        opt.step()
        out[f"p{step}"] = _np(param).copy()
    return out


RUNNERS = {
    "conv2d": run_conv2d,
    "maxpool2d": run_maxpool2d,
    "avgpool2d": run_avgpool2d,
    "lppool2d": run_lppool2d,
    "batchnorm2d": run_batchnorm2d,
    "linear": run_linear,
    "cross_entropy": run_cross_entropy,
    "locally_connected2d": run_locally_connected2d,
    "optimizer": run_optimizer,
}
RUNNERS.update({op: run_activation(op) for op in ACTIVATIONS})


def reference(op, params, inputs):
    """(float32 reference from a float64 run, float32 PyTorch run) for an op case."""
    ref = OrderedDict((k, v.astype(np.float32)) for k, v in RUNNERS[op](params, inputs, torch.float64).items())
    f32 = RUNNERS[op](params, inputs, torch.float32)
    return ref, f32


# ----------------------------------------------------------------------------------------------------------------
# inputs


def rng_for(name):
    return np.random.default_rng([BASE_SEED, zlib.crc32(name.encode())])


def normal(rng, shape, scale=1.0, shift=0.0):
    return (rng.standard_normal(shape) * scale + shift).astype(np.float32)


def away_from_zero(x, margin=1e-3):
    """Moves values within margin of 0 out to +-margin, so that no derivative is taken at a kink."""
    x = x.copy()
    small = np.abs(x) < margin
    x[small] = np.where(x[small] < 0, -margin, margin).astype(np.float32)
    return x


def distinct(rng, shape, lo=-2.0, hi=2.0):
    """Values in [lo, hi) that are all different, well apart (no ties in a max)."""
    n = int(np.prod(shape))
    slots = rng.permutation(n) + rng.uniform(0.2, 0.8, n)
    return (lo + (hi - lo) * slots / n).astype(np.float32).reshape(shape)


def conv_out(size, k, s, p, d=1):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def pool_out(size, k, s, p, d, ceil):
    """PyTorch's pooling output size, ceil_mode rule included."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


# ----------------------------------------------------------------------------------------------------------------
# case table: name, op, params, input shape (the other shapes follow from it)

CONV = [
    # name, in, out, kernel, stride, padding, dilation, groups, bias, x shape
    ("conv2d_a_1to16_k5_s1_p2", 1, 16, 5, 1, 2, 1, 1, True, (2, 1, 28, 28)),
    ("conv2d_b_3to8_k3_s2_p1_9x7", 3, 8, 3, 2, 1, 1, 1, True, (2, 3, 9, 7)),
    ("conv2d_c_4to6_k3_d2_p2", 4, 6, 3, 1, 2, 2, 1, True, (2, 4, 10, 9)),
    ("conv2d_d_8to8_k1", 8, 8, 1, 1, 0, 1, 1, True, (2, 8, 5, 6)),
    ("conv2d_e_6to4_k3_p1_g2", 6, 4, 3, 1, 1, 1, 2, True, (2, 6, 7, 7)),
    ("conv2d_f_3to5_k3_nobias", 3, 5, 3, 1, 0, 1, 1, False, (2, 3, 8, 8)),
    ("conv2d_g_3to16_k11_s4_35x35", 3, 16, 11, 4, 0, 1, 1, True, (2, 3, 35, 35)),
]

MAXPOOL = [
    # name, kernel, stride, padding, ceil_mode, x shape, expected output H x W
    ("maxpool2d_k2_s2", 2, 2, 0, False, (2, 3, 8, 10), (4, 5)),
    ("maxpool2d_k3_s2_p1", 3, 2, 1, False, (2, 3, 9, 9), (5, 5)),
    ("maxpool2d_k3_s2_ceil_14x14", 3, 2, 0, True, (2, 2, 14, 14), (7, 7)),
    ("maxpool2d_k3_s2_ceil_13x12", 3, 2, 0, True, (1, 2, 13, 12), (6, 6)),
    ("maxpool2d_k2_s2_p1_ceil_5x5_lastwindowrule", 2, 2, 1, True, (1, 2, 5, 5), (3, 3)),
]

AVGPOOL = [
    # name, kernel, stride, padding, count_include_pad, x shape
    ("avgpool2d_k2_s2", 2, 2, 0, True, (2, 3, 8, 8)),
    ("avgpool2d_k3_s1_p1_include_pad", 3, 1, 1, True, (2, 3, 6, 7)),
    ("avgpool2d_k3_s1_p1_exclude_pad", 3, 1, 1, False, (2, 3, 6, 7)),
]

OPTIMIZERS = [
    ("opt_sgd", OrderedDict(optimizer="sgd", steps=3, lr=0.1)),
    ("opt_sgd_momentum", OrderedDict(optimizer="sgd", steps=3, lr=0.1, momentum=0.9, dampening=0.0,
                                     weight_decay=0.0001, nesterov=False)),
    ("opt_sgd_nesterov", OrderedDict(optimizer="sgd", steps=3, lr=0.1, momentum=0.9, dampening=0.0,
                                     weight_decay=0.0001, nesterov=True)),
    ("opt_adam", OrderedDict(optimizer="adam", steps=3, lr=0.001, betas=[0.9, 0.999], eps=1e-08,
                             weight_decay=0.0)),
    ("opt_adamw", OrderedDict(optimizer="adamw", steps=3, lr=0.001, betas=[0.9, 0.999], eps=1e-08,
                              weight_decay=0.01)),
    ("opt_rmsprop", OrderedDict(optimizer="rmsprop", steps=3, lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0.0,
                                momentum=0.0, centered=False)),
]

NOTES = {
    "conv2d": "Cross-correlation exactly as torch.nn.functional.conv2d: y[n,o,i,j] = b[o] + sum over c in o's "
              "group and kernel offsets (u,v) of w[o,c,u,v] * xpad[n, c, i*stride[0] + u*dilation[0], "
              "j*stride[1] + v*dilation[1]]. xpad is x with padding[0] zero rows above and below and padding[1] "
              "zero columns left and right. With groups g, input channels and output channels are split into g "
              "equal consecutive blocks and block k of the output sees only block k of the input; w is "
              "[out, in/groups, kh, kw]. Output size floor((in + 2*pad - dil*(k-1) - 1)/stride) + 1.",
    "maxpool2d": "Max over each window; the padding acts as -inf (it never wins). Every input value is different, "
                 "so each window has one maximum and gx puts gy there (summed where windows overlap). Output "
                 "size: (in + 2*pad - dil*(k-1) - 1)/stride, rounded down, or up when ceil_mode, plus 1; in "
                 "ceil_mode a last window that would start at or past in + pad (entirely in the right padding) "
                 "is dropped, as PyTorch does.",
    "avgpool2d": "Mean over each window, zero padding. count_include_pad=true divides by the window's size after "
                 "clipping it to the padded input (pad added on each side), so padded zeros count but a "
                 "ceil_mode overhang past the padding does not; "
                 "count_include_pad=false divides by the number of real input elements the window covers. Output "
                 "size and ceil_mode rule as maxpool2d. gx spreads gy/divisor over the window.",
    "lppool2d": "Power-average pooling as torch.nn.functional.lp_pool2d: y = (sum over the window of x^p)^(1/p); "
                "for p = 2, the square root of the sum of squares, and gx = gy * x / y. No padding.",
    "batchnorm2d_train": "Training mode, per channel c over (N, H, W): mean and biased variance var normalize, "
                         "y = (x - mean)/sqrt(var + eps) * w + b (w is gamma, b is beta). The gradients include "
                         "the path through mean and var. Running statistics after this one step: "
                         "running_mean_out = (1 - momentum)*running_mean + momentum*mean and running_var_out = "
                         "(1 - momentum)*running_var + momentum*var*m/(m - 1), m = N*H*W (unbiased variance).",
    "batchnorm2d_eval": "Evaluation mode: y = (x - running_mean)/sqrt(running_var + eps) * w + b with the given "
                        "running statistics, which stay as they are. gx, gw, gb are the gradients of that "
                        "evaluation forward (running statistics held constant).",
    "linear": "y = x @ w^T + b with w stored [out, in]; gx = gy @ w, gw = gy^T @ x, gb = sum of gy over the batch.",
    "relu": "y = max(x, 0); gx = gy where x > 0, else 0. No input is within 1e-3 of 0.",
    "leaky_relu": "y = x for x > 0, negative_slope*x otherwise; gx = gy or negative_slope*gy accordingly. No input "
                  "is within 1e-3 of 0.",
    "sigmoid": "y = 1/(1 + exp(-x)); gx = gy * y * (1 - y).",
    "tanh": "y = tanh(x); gx = gy * (1 - y^2).",
    "hardsigmoid": "y = relu6(x + 3)/6, torch.nn.functional.hardsigmoid; gx = gy/6 on (-3, 3), else 0. No input "
                   "is within 1e-3 of -3 or 3.",
    "silu": "y = x * sigmoid(x), torch.nn.functional.silu; gx = gy * s * (1 + x * (1 - s)) with s = sigmoid(x).",
    "hardswish": "y = x * relu6(x + 3)/6, torch.nn.functional.hardswish; gx = gy*(2x + 3)/6 on (-3, 3), 0 below, "
                 "gy above. No input is within 1e-3 of -3 or 3.",
    "softmax": "y = softmax over dim 1 of [N, C] (rows sum to 1); gx = y * (gy - sum_c(gy * y)).",
    "log_softmax": "y = x - logsumexp over dim 1 of [N, C]; gx = gy - softmax(x) * sum_c(gy).",
    "cross_entropy": "x holds logits [N, C], labels are int32 class indices [N]. With label smoothing s the target "
                     "row is q = (1 - s)*onehot(label) + s/C; loss = (1/N) * sum_n sum_c -q[n,c] * "
                     "log_softmax(x)[n,c], saved with shape [1]. gx = d loss/d x = (softmax(x) - q)/N; no upstream "
                     "gradient.",
    "locally_connected2d": "Like a convolution but every output position has its own weights: y[n,o,i,j] = "
                           "b[o,i,j] + sum over c, u, v of w[i*outW + j, o, c*kh*kw + u*kw + v] * xpad[n, c, "
                           "i*stride[0] + u, j*stride[1] + v]. The column index follows "
                           "torch.nn.functional.unfold (channel, then kernel row, then kernel column). Computed "
                           "with unfold and einsum (there is no PyTorch layer for it).",
    "sgd": "PyTorch SGD, t = 1, 2, 3 with the same g every step: d = g + weight_decay*p; buf = d at t = 1, then "
           "buf = momentum*buf + (1 - dampening)*d; step direction = d + momentum*buf with nesterov, buf without, d "
           "when momentum is 0; p = p - lr*direction. p<t> is p after step t.",
    "adam": "PyTorch Adam, t = 1, 2, 3 with the same g every step: d = g + weight_decay*p (L2, here 0); m = b1*m + "
            "(1 - b1)*d; v = b2*v + (1 - b2)*d^2 (m, v start at 0); p = p - lr/(1 - b1^t) * m / (sqrt(v)/sqrt(1 - "
            "b2^t) + eps). p<t> is p after step t.",
    "adamw": "PyTorch AdamW, t = 1, 2, 3 with the same g every step: first p = p*(1 - lr*weight_decay) (decoupled "
             "decay), then the Adam step with d = g: m = b1*m + (1 - b1)*g; v = b2*v + (1 - b2)*g^2; p = p - lr/(1 - "
             "b1^t) * m / (sqrt(v)/sqrt(1 - b2^t) + eps). p<t> is p after step t.",
    "rmsprop": "PyTorch RMSprop, not centered, no momentum, t = 1, 2, 3 with the same g every step: v = alpha*v + "
               "(1 - alpha)*g^2 (v starts at 0); p = p - lr*g/(sqrt(v) + eps). p<t> is p after step t.",
}


def op_cases():
    """Yields (name, op, params, inputs) for every op case, in manifest order up to the optimizers."""
    for name, cin, cout, k, s, pd, d, groups, bias, xs in CONV:
        rng = rng_for(name)
        oh, ow = conv_out(xs[2], k, s, pd, d), conv_out(xs[3], k, s, pd, d)
        fan_in = cin // groups * k * k
        inputs = OrderedDict(x=normal(rng, xs), w=normal(rng, (cout, cin // groups, k, k), 1 / math.sqrt(fan_in)))
        if bias:
            inputs["b"] = normal(rng, (cout,), 0.5)
        inputs["gy"] = normal(rng, (xs[0], cout, oh, ow))
        params = OrderedDict(in_channels=cin, out_channels=cout, kernel=[k, k], stride=[s, s], padding=[pd, pd],
                             dilation=[d, d], groups=groups, bias=bias)
        yield name, "conv2d", params, inputs

    for name, k, s, pd, ceil, xs, expect in MAXPOOL:
        rng = rng_for(name)
        oh, ow = pool_out(xs[2], k, s, pd, 1, ceil), pool_out(xs[3], k, s, pd, 1, ceil)
        assert (oh, ow) == expect, (name, oh, ow)
        inputs = OrderedDict(x=distinct(rng, xs), gy=normal(rng, (xs[0], xs[1], oh, ow)))
        params = OrderedDict(kernel=[k, k], stride=[s, s], padding=[pd, pd], dilation=[1, 1], ceil_mode=ceil)
        yield name, "maxpool2d", params, inputs

    for name, k, s, pd, include, xs in AVGPOOL:
        rng = rng_for(name)
        oh, ow = pool_out(xs[2], k, s, pd, 1, False), pool_out(xs[3], k, s, pd, 1, False)
        inputs = OrderedDict(x=normal(rng, xs), gy=normal(rng, (xs[0], xs[1], oh, ow)))
        params = OrderedDict(kernel=[k, k], stride=[s, s], padding=[pd, pd], ceil_mode=False,
                             count_include_pad=include, divisor_override=None)
        yield name, "avgpool2d", params, inputs

    name = "lppool2d_p2_k2_s2"
    rng = rng_for(name)
    inputs = OrderedDict(x=normal(rng, (2, 3, 8, 6)), gy=normal(rng, (2, 3, 4, 3)))
    params = OrderedDict(norm_type=2, kernel=[2, 2], stride=[2, 2], padding=[0, 0], ceil_mode=False)
    yield name, "lppool2d", params, inputs

    for name, training, xs in (("batchnorm2d_train", True, (4, 3, 5, 5)), ("batchnorm2d_eval", False, (2, 4, 3, 5))):
        rng = rng_for(name)
        c = xs[1]
        scale = rng.uniform(0.5, 2.0, (1, c, 1, 1))
        shift = rng.uniform(-1.0, 1.0, (1, c, 1, 1))
        inputs = OrderedDict(
            x=(rng.standard_normal(xs) * scale + shift).astype(np.float32),
            w=rng.uniform(0.5, 1.5, c).astype(np.float32),
            b=normal(rng, (c,), 0.3),
            running_mean=normal(rng, (c,), 0.5),
            running_var=rng.uniform(0.5, 2.0, c).astype(np.float32),
            gy=normal(rng, xs))
        params = OrderedDict(num_features=c, training=training, momentum=0.1, eps=1e-05, affine=True)
        yield name, "batchnorm2d", params, inputs

    for name, n, fin, fout in (("linear_1568to10", 4, 1568, 10), ("linear_7to5", 3, 7, 5)):
        rng = rng_for(name)
        inputs = OrderedDict(x=normal(rng, (n, fin)), w=normal(rng, (fout, fin), 1 / math.sqrt(fin)),
                             b=normal(rng, (fout,), 0.5), gy=normal(rng, (n, fout)))
        params = OrderedDict(in_features=fin, out_features=fout, bias=True)
        yield name, "linear", params, inputs

    for name, op, params, xs in (("relu", "relu", OrderedDict(), (2, 3, 4, 5)),
                                 ("leaky_relu", "leaky_relu", OrderedDict(negative_slope=0.01), (2, 3, 4, 5)),
                                 ("sigmoid", "sigmoid", OrderedDict(), (2, 3, 4, 5)),
                                 ("tanh", "tanh", OrderedDict(), (2, 3, 4, 5)),
                                 ("softmax_dim1", "softmax", OrderedDict(dim=1), (4, 10)),
                                 ("log_softmax_dim1", "log_softmax", OrderedDict(dim=1), (4, 10))):
        rng = rng_for(name)
        inputs = OrderedDict(x=away_from_zero(normal(rng, xs, 2.0)), gy=normal(rng, xs))
        yield name, op, params, inputs

    # the hard activations have their joints at -3 and 3: inputs spread over both, kept off the joints
    for name in ("hardsigmoid", "hardswish"):
        rng = rng_for(name)
        x = normal(rng, (2, 3, 4, 5), 3.0)
        x = away_from_zero(x - 3) + 3
        x = away_from_zero(x + 3) - 3
        yield name, name, OrderedDict(), OrderedDict(x=x.astype(np.float32), gy=normal(rng, (2, 3, 4, 5)))

    rng = rng_for("silu")
    yield "silu", "silu", OrderedDict(), OrderedDict(x=normal(rng, (2, 3, 4, 5), 3.0), gy=normal(rng, (2, 3, 4, 5)))

    for name, smoothing in (("cross_entropy", 0.0), ("cross_entropy_label_smoothing_0.1", 0.1)):
        rng = rng_for(name)
        inputs = OrderedDict(x=normal(rng, (8, 10), 2.0), labels=rng.integers(0, 10, 8).astype(np.int32))
        params = OrderedDict(reduction="mean", label_smoothing=smoothing, class_dim=1)
        yield name, "cross_entropy", params, inputs

    name = "locally_connected2d_3to4_k3_6x6"
    rng = rng_for(name)
    inputs = OrderedDict(x=normal(rng, (2, 3, 6, 6)), w=normal(rng, (16, 4, 27), 1 / math.sqrt(27)),
                         b=normal(rng, (4, 4, 4), 0.5), gy=normal(rng, (2, 4, 4, 4)))
    params = OrderedDict(in_channels=3, out_channels=4, kernel=[3, 3], stride=[1, 1], padding=[0, 0],
                         output_size=[4, 4], bias=True, weight_layout="[outH*outW, out, in*kh*kw]",
                         bias_layout="[out, outH, outW]")
    yield name, "locally_connected2d", params, inputs

    for name, params in OPTIMIZERS:
        rng = rng_for(name)
        inputs = OrderedDict(p0=normal(rng, (3, 4)), g=normal(rng, (3, 4)))
        yield name, "optimizer", params, inputs


def notes_for(name, op, params):
    if op == "batchnorm2d":
        return NOTES["batchnorm2d_train" if params["training"] else "batchnorm2d_eval"]
    if op == "optimizer":
        return NOTES[params["optimizer"]]
    return NOTES[op]


# ----------------------------------------------------------------------------------------------------------------
# the end-to-end case

E2E_NAME = "e2e_mnistnet_adam_3steps"
E2E_STEPS = 3
E2E_BATCH = 16
E2E_LR = 0.001
E2E_PARAMS = ["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "conv2.weight", "conv2.bias",
              "bn2.weight", "bn2.bias", "fc.weight", "fc.bias"]
E2E_STATE = ["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
             "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var",
             "fc.weight", "fc.bias"]
# outputs compared with a wider atol than the default rule, and why (see the case's notes)
E2E_LOOSE_ATOL = {
    "final.conv1.bias": 1e-2,
    "final.conv2.bias": 1e-2,
    "final.bn1.running_mean": 2e-3,
    "final.bn2.running_mean": 1e-3,
}


def e2e_network():
    nn = torch.nn
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 16, 5, 1, 2)), ("bn1", nn.BatchNorm2d(16)), ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(2, 2)),
        ("conv2", nn.Conv2d(16, 32, 5, 1, 2)), ("bn2", nn.BatchNorm2d(32)), ("relu2", nn.ReLU()),
        ("pool2", nn.MaxPool2d(2, 2)),
        ("flatten", nn.Flatten()), ("fc", nn.Linear(1568, 10))]))


def e2e_train(init, x, labels, dtype):
    """Three Adam steps from init; returns the outputs (numpy, in dtype) in case order."""
    model = e2e_network().to(dtype)
    with torch.no_grad():
        for key, value in model.state_dict().items():
            if key in init:
                value.copy_(torch.from_numpy(init[key]).to(dtype))
    model.train()
    params = dict(model.named_parameters())
    assert list(params) == E2E_PARAMS, list(params)
    opt = torch.optim.Adam(model.parameters(), lr=E2E_LR, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0)
    xt = torch.from_numpy(x).to(dtype)
    yt = torch.from_numpy(labels.astype(np.int64))
    losses, out = [], OrderedDict()
    for step in range(E2E_STEPS):
        opt.zero_grad()
        logits = model(xt)
        loss = F.cross_entropy(logits, yt)
        loss.backward()
        losses.append(float(loss.detach()))
        if step == 0:
            out["logits0"] = _np(logits).copy()
            for k in E2E_PARAMS:
                out["grad0." + k] = _np(params[k].grad).copy()
        opt.step()
    state = model.state_dict()
    result = OrderedDict(losses=np.array(losses, dtype=np.float64))
    result.update(out)
    for k in E2E_STATE:
        result["final." + k] = _np(state[k]).copy()
    return result


def e2e_case():
    torch.manual_seed(E2E_TORCH_SEED)
    model = e2e_network()
    init = OrderedDict((k, _np(v).astype(np.float32).copy()) for k, v in model.state_dict().items()
                       if k in E2E_STATE)
    assert list(init) == E2E_STATE, list(init)
    rng = rng_for(E2E_NAME)
    x = rng.random((E2E_BATCH, 1, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, E2E_BATCH).astype(np.int32)
    ref = OrderedDict((k, v.astype(np.float32)) for k, v in e2e_train(init, x, labels, torch.float32).items())
    f64 = e2e_train(init, x, labels, torch.float64)
    inputs = OrderedDict(x=x, labels=labels)
    inputs.update(("init." + k, v) for k, v in init.items())
    params = OrderedDict(
        network="conv1 Conv2d(1,16,5,1,2) -> bn1 BatchNorm2d(16) -> ReLU -> MaxPool2d(2,2) -> "
                "conv2 Conv2d(16,32,5,1,2) -> bn2 BatchNorm2d(32) -> ReLU -> MaxPool2d(2,2) -> Flatten -> "
                "fc Linear(1568,10)",
        loss="cross_entropy(mean)",
        optimizer="adam",
        optimizer_params=OrderedDict(lr=E2E_LR, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.0),
        bn=OrderedDict(momentum=0.1, eps=1e-05),
        steps=E2E_STEPS,
        batch=E2E_BATCH,
        mode="train (batch statistics) at every step",
        dtype="float32",
        torch_seed=E2E_TORCH_SEED)
    notes = (
        "Inputs: x [16,1,28,28] uniform in [0,1), labels int32 in [0,10), and init.<name>: PyTorch's default "
        "initial parameters after torch.manual_seed(torch_seed), with fresh BatchNorm buffers (running_mean 0, "
        "running_var 1). Each of the 3 steps: zero the gradients, forward in training mode (BatchNorm uses the "
        "batch statistics and updates its running statistics), mean cross-entropy, backward, Adam step. "
        "losses[s] is the loss of step s, before its update; logits0 and grad0.<name> are from step 0; "
        "final.<name> holds the parameters and running statistics after the last step (num_batches_tracked is "
        "not saved). Flatten is channel-major (C, H, W), as torch.flatten(x, 1). The run is in float32, like "
        "the library's own; f64_vs_f32_max_abs_diff is the distance to the same run in float64. Loose on "
        "purpose: final.conv1.bias and final.conv2.bias (atol 1e-2) because each conv feeds a BatchNorm, which "
        "subtracts the batch mean, so the bias has a true gradient of exactly 0 and its computed gradient is "
        "rounding noise; Adam divides by the gradient's own size and so turns that noise into steps of up to "
        "about lr in an arbitrary direction. final.bn1.running_mean (2e-3) and final.bn2.running_mean (1e-3) "
        "follow those biases with weight momentum, so they inherit a share of the same noise. Compare them with "
        "their atol_per_output entry (or leave them out); every other output uses the default rule.")
    return E2E_NAME, "e2e_train", params, inputs, ref, f64, notes


# ----------------------------------------------------------------------------------------------------------------
# writing


def dtype_name(a):
    return {np.dtype(np.float32): "float32", np.dtype(np.int32): "int32"}[a.dtype]


def save_array(folder, name, a):
    a = np.ascontiguousarray(a)
    assert a.dtype in (np.float32, np.int32) and a.ndim >= 1, (name, a.dtype, a.shape)
    a = a.astype(a.dtype.newbyteorder("<"), copy=False)
    assert np.all(np.isfinite(a)), name
    np.save(os.path.join(folder, name + ".npy"), a, allow_pickle=False)


def to_json(value, indent=0):
    """JSON with one-space indentation; lists of plain values stay on one line."""
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (dict, list, tuple)) for v in value):
            items = [pad + to_json(v, indent + 1) for v in value]
            return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
        return "[" + ", ".join(to_json(v) for v in value) + "]"
    if isinstance(value, float):
        assert math.isfinite(value)
        return repr(value)
    return json.dumps(value)


def write_case(root, name, op, params, inputs, ref, rtol, atols, notes, extra_key, extra):
    folder = os.path.join(root, name)
    os.makedirs(folder, exist_ok=True)
    arrays = OrderedDict(inputs)
    arrays.update(ref)
    for k, a in arrays.items():
        save_array(folder, k, a)
    spec = OrderedDict()
    spec["format"] = FORMAT
    spec["op"] = op
    spec["params"] = params
    spec["inputs"] = list(inputs)
    spec["outputs"] = list(ref)
    spec["rtol"] = rtol
    spec["atol"] = max(atols.values())
    spec["atol_per_output"] = atols
    spec["shapes"] = OrderedDict((k, list(a.shape)) for k, a in arrays.items())
    spec["dtypes"] = OrderedDict((k, dtype_name(a)) for k, a in arrays.items())
    if op == "e2e_train":
        spec["notes"] = notes
        spec[extra_key] = extra
    else:
        spec[extra_key] = extra
        spec["notes"] = notes
    with open(os.path.join(folder, "case.json"), "w") as f:
        f.write(to_json(spec) + "\n")


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = argv[1]
    torch.set_num_threads(1)
    torch.manual_seed(BASE_SEED)
    os.makedirs(root, exist_ok=True)
    manifest_cases = []

    for name, op, params, inputs in op_cases():
        ref, f32 = reference(op, params, inputs)
        if op == "optimizer":
            rtol, atols = OPT_RTOL, OrderedDict((k, OPT_ATOL) for k in ref)
        else:
            rtol, atols = OP_RTOL, OrderedDict((k, default_atol(v)) for k, v in ref.items())
        err = OrderedDict((k, max_abs_diff(f32[k], ref[k])) for k in ref)
        for k in ref:
            # PyTorch's own float32 run has to pass the tolerance it sets for others, with room to spare
            used = tolerance_used(f32[k], ref[k], rtol, atols[k])
            assert used <= 0.5, (name, k, used)
        write_case(root, name, op, params, inputs, ref, rtol, atols, notes_for(name, op, params),
                   "f32_torch_max_abs_err", err)
        manifest_cases.append(OrderedDict(name=name, op=op))
        print(f"{name:45s} {op:20s} " + " ".join(f"{k}:{atols[k]:g}" for k in ref))

    name, op, params, inputs, ref, f64, notes = e2e_case()
    atols = OrderedDict((k, E2E_LOOSE_ATOL.get(k, default_atol(v))) for k, v in ref.items())
    diff = OrderedDict((k, max_abs_diff(f64[k], ref[k])) for k in ref)
    for k in ref:
        # the float64 run passes the case's own tolerances, with room to spare
        used = tolerance_used(f64[k], ref[k], OP_RTOL, atols[k])
        assert used <= 0.5, (name, k, used)
    write_case(root, name, op, params, inputs, ref, OP_RTOL, atols, notes, "f64_vs_f32_max_abs_diff", diff)
    manifest_cases.append(OrderedDict(name=name, op=op))
    print(f"{name:45s} {op:20s} losses {ref['losses'].tolist()}")

    date = os.environ.get("GOLDEN_DATE") or datetime.date.today().isoformat()
    manifest = OrderedDict(
        title="Retina golden reference cases (PyTorch)",
        format=FORMAT,
        generator="tools/golden/make_golden.py",
        generator_torch_version=torch.__version__,
        numpy_version=np.__version__,
        python_version=platform.python_version(),
        date=date,
        cases=manifest_cases)
    with open(os.path.join(root, "MANIFEST.json"), "w") as f:
        f.write(to_json(manifest) + "\n")
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write(README.format(n=len(manifest_cases), torch=torch.__version__, numpy=np.__version__,
                              python=platform.python_version(), date=date))
    print(f"{len(manifest_cases)} cases written to {root}")
    return 0


README = """\
# Golden reference cases (PyTorch)

What the library's golden tests compare against: forward results and gradients of single ops, three steps of
each optimizer, and three Adam steps of a small CNN. Do not edit these files by hand; they are written by
`tools/golden/make_golden.py` (see `tools/golden/README.md` for the exact command). This copy: {n} cases,
PyTorch {torch}, numpy {numpy}, Python {python}, CPU, {date}. `MANIFEST.json` lists every case with its `op`.

## Files

Each case is a folder:

    <case>/case.json       settings, array names, shapes, dtypes, tolerances, notes
    <case>/<array>.npy     one file per input and output array listed in case.json

The `.npy` files come from `numpy.save`: format version 1.0, little-endian, C order. Arrays are `<f4`
(float32), except class labels, `labels`, which are `<i4` (int32). A scalar such as a loss is stored as
shape `[1]`.

Layouts are PyTorch's:

| array | layout |
| --- | --- |
| images, activations | NCHW |
| conv2d `w`, `b` | `[out, in/groups, kh, kw]`, `[out]` |
| linear `w`, `b` | `[out, in]` (y = x wᵀ + b), `[out]` |
| batchnorm `w`, `b`, `running_mean`, `running_var` | `[C]` each (`w` is gamma, `b` is beta) |
| locally connected `w`, `b` | `[outH*outW, out, in*kh*kw]` with column `c*kh*kw + u*kw + v`, `[out, outH, outW]` |
| flatten | per sample, channel-major `(C, H, W)`, as `torch.flatten(x, 1)` |

## case.json fields

* `op`: conv2d, maxpool2d, avgpool2d, lppool2d, batchnorm2d, linear, relu, leaky_relu, sigmoid, tanh,
  softmax, log_softmax, cross_entropy, locally_connected2d, optimizer or e2e_train.
* `params`: the op's settings in PyTorch's terms; pairs such as `kernel`, `stride`, `padding`, `dilation`
  are `[h, w]`.
* `inputs`, `outputs`: array names (file names without `.npy`); `shapes` and `dtypes` describe every one.
* `rtol`, `atol`, `atol_per_output`: a value passes when `|got - ref| <= atol + rtol*|ref|`. Use the output's
  entry in `atol_per_output`; `atol` is the largest of them.
* `notes`: the exact definition where conventions differ between libraries.
* `f32_torch_max_abs_err` (op cases): how far PyTorch's own float32 run lands from the reference; for
  information. `f64_vs_f32_max_abs_diff` (the e2e case): how far a float64 run lands from the float32 one.

## How the values are made

* Op cases: inputs are random float32 values (fixed seeds). The op runs in float64 and each result is
  rounded once to float32, so a reference is as close to the exact answer as float32 allows. `gy` is a
  random upstream gradient, and `gx`, `gw`, `gb` are the gradients of `sum(y * gy)` with respect to `x`,
  `w`, `b`.
* Tolerances: `atol` is `1e-5 * max(1, max|ref|)` of that output, rounded up to 1, 2 or 5 times a power of
  ten, and `rtol` is 1e-4. Optimizer cases use rtol 1e-5 and atol 1e-6.
* `cross_entropy*`: logits `x` `[N, C]`, int32 `labels` `[N]`, the mean loss `loss` `[1]` and its gradient
  `gx`; no `gy`. Label smoothing s mixes the one-hot target with s/C.
* `maxpool2d*`: all input values differ, so there are no ties; padding never wins a max. The `ceil` cases
  check PyTorch's ceil_mode output size, including the rule that drops a last window lying entirely in
  the right padding (`maxpool2d_k2_s2_p1_ceil_5x5_lastwindowrule`: 5x5 gives 3x3; `..._ceil_14x14`: 7x7).
* `avgpool2d_k3_s1_p1_include_pad` and `_exclude_pad` differ only in `count_include_pad`.
* `batchnorm2d_train` also stores the running statistics after the step (`running_mean_out`,
  `running_var_out`, unbiased variance, momentum 0.1); `batchnorm2d_eval` uses the stored running statistics.
* `opt_*`: `p0` `[3,4]` and a gradient `g` used for each of three steps; `p1`, `p2`, `p3` follow the steps.
* `e2e_mnistnet_adam_3steps`: the network conv1(1->16, 5x5, pad 2) - bn1 - ReLU - maxpool 2 - conv2(16->32,
  5x5, pad 2) - bn2 - ReLU - maxpool 2 - flatten - fc(1568->10), mean cross-entropy, Adam lr 1e-3, training
  mode, 16 images in [0,1). Inputs `x`, `labels` and `init.<name>` (initial parameters and BatchNorm
  buffers); outputs `losses` `[3]`, `logits0`, `grad0.<name>` (first step) and `final.<name>` (after the
  third step). It runs in float32. The conv biases and BatchNorm running means have wide tolerances on
  purpose: a bias in front of a BatchNorm has no real gradient, so Adam steps it on rounding noise; the
  case's notes explain.

## Regenerating

    python3 tools/golden/make_golden.py retina-core/src/test/resources/golden

from the repository root, with PyTorch and numpy installed (tools/golden/README.md has the details).
Inputs and references are deterministic for a given PyTorch build; another build may change the last bits
of the float32 e2e case and `f32_torch_max_abs_err`.
"""

if __name__ == "__main__":
    sys.exit(main(sys.argv))
