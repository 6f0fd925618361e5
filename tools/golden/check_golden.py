#!/usr/bin/env python3
"""Checks a golden folder against an independent float64 recomputation in plain numpy (no PyTorch).

Usage: check_golden.py GOLDEN_DIR

Every op, its gradients, the optimizers and the e2e training run are written out here with loops and einsum,
without calling PyTorch, and compared with the stored references under each case's own tolerances
(|got - ref| <= atol_per_output + rtol*|ref|). It also checks the file format (.npy version 1.0,
little-endian, C order, float32 / int32, no 0-d arrays) and that case.json's shapes and dtypes match the
files. Prints one line per case with the largest share of the tolerance used (1.0 = at the limit); exits 1
if anything fails.
"""

import json
import os
import sys

import numpy as np

# ----------------------------------------------------------------------------------------------------------------
# geometry


def n_windows(size, k, s, p, d, ceil):
    """How many windows PyTorch places along one axis, counted directly: window o starts at o*s - p; in floor
    mode it must end inside the padded input, in ceil mode it may run past the end but must start inside the
    input or the left padding."""
    span = d * (k - 1) + 1
    count = 0
    o = 0
    while True:
        start = o * s  # in padded coordinates
        fits = start + span <= size + 2 * p
        if ceil:
            ok = start < size + p and (fits or start + span - (size + 2 * p) < s)
        else:
            ok = fits
        if not ok:
            return count
        count += 1
        o += 1


# ----------------------------------------------------------------------------------------------------------------
# ops (float64); each backward takes the upstream gradient


def conv_fwd(x, w, b, s, p, d, groups):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = (h + 2 * p[0] - d[0] * (kh - 1) - 1) // s[0] + 1
    ow = (wd + 2 * p[1] - d[1] * (kw - 1) - 1) // s[1] + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    og = o // groups
    y = np.zeros((n, o, oh, ow))
    for g in range(groups):
        for u in range(kh):
            for v in range(kw):
                xs = xp[:, g * cg:(g + 1) * cg, u * d[0]:u * d[0] + s[0] * (oh - 1) + 1:s[0],
                        v * d[1]:v * d[1] + s[1] * (ow - 1) + 1:s[1]]
                y[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", xs, w[g * og:(g + 1) * og, :, u, v])
    if b is not None:
        y += b[None, :, None, None]
    return y


def conv_bwd(x, w, gy, s, p, d, groups):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh, ow = gy.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    gxp = np.zeros_like(xp)
    gw = np.zeros_like(w)
    og = o // groups
    for g in range(groups):
        gyg = gy[:, g * og:(g + 1) * og]
        for u in range(kh):
            for v in range(kw):
                sl = (slice(None), slice(g * cg, (g + 1) * cg),
                      slice(u * d[0], u * d[0] + s[0] * (oh - 1) + 1, s[0]),
                      slice(v * d[1], v * d[1] + s[1] * (ow - 1) + 1, s[1]))
                gw[g * og:(g + 1) * og, :, u, v] = np.einsum("nohw,nchw->oc", gyg, xp[sl])
                gxp[sl] += np.einsum("nohw,oc->nchw", gyg, w[g * og:(g + 1) * og, :, u, v])
    gx = gxp[:, :, p[0]:p[0] + h, p[1]:p[1] + wd]
    return gx, gw, gy.sum(axis=(0, 2, 3))


def window_cells(size, o, k, s, p, d):
    """Input indices of window o along one axis, padding left out."""
    return [o * s - p + i * d for i in range(k) if 0 <= o * s - p + i * d < size]


def maxpool_fwd(x, k, s, p, d, ceil):
    n, c, h, w = x.shape
    oh, ow = n_windows(h, k[0], s[0], p[0], d[0], ceil), n_windows(w, k[1], s[1], p[1], d[1], ceil)
    y = np.zeros((n, c, oh, ow))
    arg = np.zeros((n, c, oh, ow, 2), dtype=int)
    for i in range(oh):
        rows = window_cells(h, i, k[0], s[0], p[0], d[0])
        for j in range(ow):
            cols = window_cells(w, j, k[1], s[1], p[1], d[1])
            win = x[:, :, rows][:, :, :, cols].reshape(n, c, -1)
            a = win.argmax(axis=2)
            y[:, :, i, j] = win.max(axis=2)
            arg[:, :, i, j, 0] = np.array(rows)[a // len(cols)]
            arg[:, :, i, j, 1] = np.array(cols)[a % len(cols)]
    return y, arg


def maxpool_bwd(xshape, arg, gy):
    gx = np.zeros(xshape)
    n, c, oh, ow = gy.shape
    for a in range(n):
        for b in range(c):
            for i in range(oh):
                for j in range(ow):
                    r, q = arg[a, b, i, j]
                    gx[a, b, r, q] += gy[a, b, i, j]
    return gx


def avgpool(x, gy, k, s, p, ceil, include_pad):
    n, c, h, w = x.shape
    oh, ow = n_windows(h, k[0], s[0], p[0], 1, ceil), n_windows(w, k[1], s[1], p[1], 1, ceil)
    y = np.zeros((n, c, oh, ow))
    gx = np.zeros_like(x)
    for i in range(oh):
        rows = window_cells(h, i, k[0], s[0], p[0], 1)
        for j in range(ow):
            cols = window_cells(w, j, k[1], s[1], p[1], 1)
            if include_pad:  # the window cut at the far edge of the padding
                div = (min(i * s[0] - p[0] + k[0], h + p[0]) - (i * s[0] - p[0])) * \
                      (min(j * s[1] - p[1] + k[1], w + p[1]) - (j * s[1] - p[1]))
            else:
                div = len(rows) * len(cols)
            y[:, :, i, j] = x[:, :, rows][:, :, :, cols].sum(axis=(2, 3)) / div
            for r in rows:
                for q in cols:
                    gx[:, :, r, q] += gy[:, :, i, j] / div
    return y, gx


def lppool2(x, gy, k, s):
    n, c, h, w = x.shape
    oh, ow = n_windows(h, k[0], s[0], 0, 1, False), n_windows(w, k[1], s[1], 0, 1, False)
    y = np.zeros((n, c, oh, ow))
    gx = np.zeros_like(x)
    for i in range(oh):
        for j in range(ow):
            win = x[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]]
            y[:, :, i, j] = np.sqrt((win ** 2).sum(axis=(2, 3)))
            gx[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]] += \
                win / y[:, :, i, j][:, :, None, None] * gy[:, :, i, j][:, :, None, None]
    return y, gx


def bn_train_fwd(x, w, b, eps):
    mean = x.mean(axis=(0, 2, 3))
    var = ((x - mean[None, :, None, None]) ** 2).mean(axis=(0, 2, 3))
    inv = 1 / np.sqrt(var + eps)
    xhat = (x - mean[None, :, None, None]) * inv[None, :, None, None]
    return xhat * w[None, :, None, None] + b[None, :, None, None], (xhat, inv, mean, var)


def bn_train_bwd(cache, w, gy):
    xhat, inv = cache[0], cache[1]
    gb = gy.sum(axis=(0, 2, 3))
    gw = (gy * xhat).sum(axis=(0, 2, 3))
    m = gy.shape[0] * gy.shape[2] * gy.shape[3]
    gx = (w * inv)[None, :, None, None] * (gy - gb[None, :, None, None] / m - xhat * gw[None, :, None, None] / m)
    return gx, gw, gb


def bn_running(rm, rv, mean, var, m, momentum):
    return (1 - momentum) * rm + momentum * mean, (1 - momentum) * rv + momentum * var * m / (m - 1)


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(x, labels, smoothing):
    n, c = x.shape
    q = np.full((n, c), smoothing / c)
    q[np.arange(n), labels] += 1 - smoothing
    logp = x - x.max(axis=1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=1, keepdims=True))
    return -(q * logp).sum() / n, (softmax(x) - q) / n


def locally_connected(x, w, b, gy, k, s, p):
    n, c, h, wd = x.shape
    _, o, oh, ow = gy.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    gxp = np.zeros_like(xp)
    y = np.zeros((n, o, oh, ow))
    gw = np.zeros_like(w)
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]].reshape(n, -1)
            wl = w[i * ow + j]
            y[:, :, i, j] = patch @ wl.T + b[:, i, j]
            gw[i * ow + j] = gy[:, :, i, j].T @ patch
            gxp[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]] += \
                (gy[:, :, i, j] @ wl).reshape(n, c, k[0], k[1])
    return y, gxp[:, :, p[0]:p[0] + h, p[1]:p[1] + wd], gw, gy.sum(axis=0)


def optimizer_steps(prm, p0, g):
    p = p0.copy()
    kind = prm["optimizer"]
    lr, wd = prm["lr"], prm.get("weight_decay", 0.0)
    buf = m = v = None
    out = []
    for t in range(1, prm["steps"] + 1):
        if kind == "sgd":
            d = g + wd * p
            mom = prm.get("momentum", 0.0)
            if mom:
                buf = d.copy() if buf is None else mom * buf + (1 - prm.get("dampening", 0.0)) * d
                d = d + mom * buf if prm.get("nesterov", False) else buf
            p = p - lr * d
        elif kind in ("adam", "adamw"):
            b1, b2 = prm["betas"]
            if kind == "adamw":
                p = p * (1 - lr * wd)
                d = g
            else:
                d = g + wd * p
            m = (1 - b1) * d if m is None else b1 * m + (1 - b1) * d
            v = (1 - b2) * d * d if v is None else b2 * v + (1 - b2) * d * d
            p = p - lr / (1 - b1 ** t) * m / (np.sqrt(v) / np.sqrt(1 - b2 ** t) + prm["eps"])
        elif kind == "rmsprop":
            assert not prm["centered"] and prm["momentum"] == 0
            d = g + wd * p
            v = (1 - prm["alpha"]) * d * d if v is None else prm["alpha"] * v + (1 - prm["alpha"]) * d * d
            p = p - lr * d / (np.sqrt(v) + prm["eps"])
        else:
            raise ValueError(kind)
        out.append(p.copy())
    return {f"p{t + 1}": q for t, q in enumerate(out)}


def e2e(a, prm):
    """The three Adam steps of the e2e case in float64."""
    names = ["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "conv2.weight", "conv2.bias",
             "bn2.weight", "bn2.bias", "fc.weight", "fc.bias"]
    P = {k: a["init." + k].copy() for k in names}
    B = {k: a["init." + k].copy() for k in ("bn1.running_mean", "bn1.running_var", "bn2.running_mean",
                                              "bn2.running_var")}
    op = prm["optimizer_params"]
    b1, b2 = op["betas"]
    mom, eps = prm["bn"]["momentum"], prm["bn"]["eps"]
    M = {k: np.zeros_like(v) for k, v in P.items()}
    V = {k: np.zeros_like(v) for k, v in P.items()}
    x, labels = a["x"], a["labels"].astype(int)
    out, losses = {}, []
    one, two = (1, 1), (2, 2)
    for t in range(1, prm["steps"] + 1):
        h1 = conv_fwd(x, P["conv1.weight"], P["conv1.bias"], one, two, one, 1)
        n1, c1 = bn_train_fwd(h1, P["bn1.weight"], P["bn1.bias"], eps)
        r1 = np.maximum(n1, 0)
        q1, arg1 = maxpool_fwd(r1, two, two, (0, 0), one, False)
        h2 = conv_fwd(q1, P["conv2.weight"], P["conv2.bias"], one, two, one, 1)
        n2, c2 = bn_train_fwd(h2, P["bn2.weight"], P["bn2.bias"], eps)
        r2 = np.maximum(n2, 0)
        q2, arg2 = maxpool_fwd(r2, two, two, (0, 0), one, False)
        f = q2.reshape(q2.shape[0], -1)
        logits = f @ P["fc.weight"].T + P["fc.bias"]
        loss, gl = cross_entropy(logits, labels, 0.0)
        losses.append(loss)
        G = {"fc.weight": gl.T @ f, "fc.bias": gl.sum(axis=0)}
        g = maxpool_bwd(r2.shape, arg2, (gl @ P["fc.weight"]).reshape(q2.shape)) * (n2 > 0)
        g, G["bn2.weight"], G["bn2.bias"] = bn_train_bwd(c2, P["bn2.weight"], g)
        g, G["conv2.weight"], G["conv2.bias"] = conv_bwd(q1, P["conv2.weight"], g, one, two, one, 1)
        g = maxpool_bwd(r1.shape, arg1, g) * (n1 > 0)
        g, G["bn1.weight"], G["bn1.bias"] = bn_train_bwd(c1, P["bn1.weight"], g)
        _, G["conv1.weight"], G["conv1.bias"] = conv_bwd(x, P["conv1.weight"], g, one, two, one, 1)
        for bn, c, h in (("bn1", c1, h1), ("bn2", c2, h2)):
            m = h.shape[0] * h.shape[2] * h.shape[3]
            B[bn + ".running_mean"], B[bn + ".running_var"] = bn_running(
                B[bn + ".running_mean"], B[bn + ".running_var"], c[2], c[3], m, mom)
        if t == 1:
            out["logits0"] = logits
            out.update(("grad0." + k, G[k]) for k in names)
        for k in names:
            M[k] = b1 * M[k] + (1 - b1) * G[k]
            V[k] = b2 * V[k] + (1 - b2) * G[k] ** 2
            P[k] = P[k] - op["lr"] / (1 - b1 ** t) * M[k] / (np.sqrt(V[k]) / np.sqrt(1 - b2 ** t) + op["eps"])
    out["losses"] = np.array(losses)
    out.update(("final." + k, v) for k, v in P.items())
    out.update(("final." + k, v) for k, v in B.items())
    return out


# ----------------------------------------------------------------------------------------------------------------


def recompute(op, prm, a):
    if op == "conv2d":
        b = a.get("b") if prm["bias"] else None
        y = conv_fwd(a["x"], a["w"], b, prm["stride"], prm["padding"], prm["dilation"], prm["groups"])
        gx, gw, gb = conv_bwd(a["x"], a["w"], a["gy"], prm["stride"], prm["padding"], prm["dilation"],
                              prm["groups"])
        out = {"y": y, "gx": gx, "gw": gw}
        if prm["bias"]:
            out["gb"] = gb
        return out
    if op == "maxpool2d":
        y, arg = maxpool_fwd(a["x"], prm["kernel"], prm["stride"], prm["padding"], prm["dilation"], prm["ceil_mode"])
        return {"y": y, "gx": maxpool_bwd(a["x"].shape, arg, a["gy"])}
    if op == "avgpool2d":
        assert prm["divisor_override"] is None
        y, gx = avgpool(a["x"], a["gy"], prm["kernel"], prm["stride"], prm["padding"], prm["ceil_mode"],
                        prm["count_include_pad"])
        return {"y": y, "gx": gx}
    if op == "lppool2d":
        assert prm["norm_type"] == 2 and list(prm["padding"]) == [0, 0] and not prm["ceil_mode"]
        y, gx = lppool2(a["x"], a["gy"], prm["kernel"], prm["stride"])
        return {"y": y, "gx": gx}
    if op == "batchnorm2d":
        x, w, b, gy = a["x"], a["w"], a["b"], a["gy"]
        if prm["training"]:
            y, cache = bn_train_fwd(x, w, b, prm["eps"])
            gx, gw, gb = bn_train_bwd(cache, w, gy)
            m = x.shape[0] * x.shape[2] * x.shape[3]
            rm, rv = bn_running(a["running_mean"], a["running_var"], cache[2], cache[3], m, prm["momentum"])
            return {"y": y, "gx": gx, "gw": gw, "gb": gb, "running_mean_out": rm, "running_var_out": rv}
        inv = 1 / np.sqrt(a["running_var"] + prm["eps"])
        xhat = (x - a["running_mean"][None, :, None, None]) * inv[None, :, None, None]
        return {"y": xhat * w[None, :, None, None] + b[None, :, None, None],
                "gx": gy * (w * inv)[None, :, None, None], "gw": (gy * xhat).sum(axis=(0, 2, 3)),
                "gb": gy.sum(axis=(0, 2, 3))}
    if op == "linear":
        x, w, gy = a["x"], a["w"], a["gy"]
        return {"y": x @ w.T + a["b"], "gx": gy @ w, "gw": gy.T @ x, "gb": gy.sum(axis=0)}
    if op in ("relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax"):
        x, gy = a["x"], a["gy"]
        if op == "relu":
            return {"y": np.where(x > 0, x, 0.0), "gx": np.where(x > 0, gy, 0.0)}
        if op == "leaky_relu":
            sl = prm["negative_slope"]
            return {"y": np.where(x > 0, x, sl * x), "gx": np.where(x > 0, gy, sl * gy)}
        if op == "sigmoid":
            y = 1 / (1 + np.exp(-x))
            return {"y": y, "gx": gy * y * (1 - y)}
        if op == "tanh":
            y = np.tanh(x)
            return {"y": y, "gx": gy * (1 - y * y)}
        assert prm["dim"] == 1 and x.ndim == 2
        sm = softmax(x)
        if op == "softmax":
            return {"y": sm, "gx": sm * (gy - (gy * sm).sum(axis=1, keepdims=True))}
        return {"y": np.log(sm), "gx": gy - sm * gy.sum(axis=1, keepdims=True)}
    if op == "silu":
        x, gy = a["x"], a["gy"]
        s = 1 / (1 + np.exp(-x))
        return {"y": x * s, "gx": gy * s * (1 + x * (1 - s))}
    if op in ("hardsigmoid", "hardswish"):
        x, gy = a["x"], a["gy"]
        inner = (x > -3) & (x < 3)
        if op == "hardsigmoid":
            return {"y": np.clip(x / 6 + 0.5, 0, 1), "gx": np.where(inner, gy / 6, 0.0)}
        return {"y": x * np.clip(x / 6 + 0.5, 0, 1),
                "gx": np.where(x <= -3, 0.0, np.where(x >= 3, gy, gy * (2 * x + 3) / 6))}
    if op == "cross_entropy":
        assert prm["reduction"] == "mean" and prm["class_dim"] == 1
        loss, gx = cross_entropy(a["x"], a["labels"].astype(int), prm["label_smoothing"])
        return {"loss": np.array([loss]), "gx": gx}
    if op == "locally_connected2d":
        y, gx, gw, gb = locally_connected(a["x"], a["w"], a["b"], a["gy"], prm["kernel"], prm["stride"],
                                          prm["padding"])
        assert list(y.shape[2:]) == list(prm["output_size"])
        return {"y": y, "gx": gx, "gw": gw, "gb": gb}
    if op == "optimizer":
        return optimizer_steps(prm, a["p0"], a["g"])
    if op == "e2e_train":
        return e2e(a, prm)
    raise ValueError(op)


def load_npy(path):
    with open(path, "rb") as f:
        major, _ = np.lib.format.read_magic(f)
        assert major == 1, f"{path}: npy version {major}"
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
    assert not fortran, path
    assert dtype.str in ("<f4", "<i4"), f"{path}: {dtype.str}"
    assert len(shape) >= 1, f"{path}: 0-d array"
    return np.load(path, allow_pickle=False)


def main(argv):
    if len(argv) != 2:
        print("usage: check_golden.py GOLDEN_DIR", file=sys.stderr)
        return 2
    root = argv[1]
    manifest = json.load(open(os.path.join(root, "MANIFEST.json")))
    failed = 0
    for entry in manifest["cases"]:
        name = entry["name"]
        spec = json.load(open(os.path.join(root, name, "case.json")))
        assert spec["op"] == entry["op"], name
        arrays = {}
        for k in spec["inputs"] + spec["outputs"]:
            arr = load_npy(os.path.join(root, name, k + ".npy"))
            assert list(arr.shape) == spec["shapes"][k], (name, k)
            assert {"float32": "<f4", "int32": "<i4"}[spec["dtypes"][k]] == arr.dtype.str, (name, k)
            arrays[k] = arr
        inputs = {k: arrays[k].astype(np.float64) if arrays[k].dtype == np.float32 else arrays[k]
                  for k in spec["inputs"]}
        got = recompute(spec["op"], spec["params"], inputs)
        assert set(got) == set(spec["outputs"]), (name, sorted(got), spec["outputs"])
        worst, where, problems = 0.0, "", []
        for k in spec["outputs"]:
            ref = arrays[k].astype(np.float64)
            g = got[k]
            if g.shape != ref.shape:
                problems.append(f"{k}: shape {g.shape} vs {ref.shape}")
                continue
            atol = spec["atol_per_output"].get(k, spec["atol"])
            used = float(np.max(np.abs(g - ref) / (atol + spec["rtol"] * np.abs(ref))))
            if used > worst:
                worst, where = used, k
            if not used <= 1:
                problems.append(f"{k}: {used:.3g} of the tolerance")
        failed += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {name:45s} tolerance used {worst:.3g} ({where})"
              + ("  " + "; ".join(problems) if problems else ""))
    print(f"{len(manifest['cases']) - failed} of {len(manifest['cases'])} cases agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
