"""Writes the LocalResponseNorm reference cases: PyTorch's nn.LocalResponseNorm in float64, forward and backward.

Run once with PyTorch installed: python3 make_lrn_golden.py (writes CASE_x.npy, CASE_gy.npy, CASE_y.npy,
CASE_gx.npy beside this script). Settings per case are in LrnGoldenTest.
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {
    # name: (size, alpha, beta, k, input shape)
    "alexnet": (5, 1e-4, 0.75, 1.0, (2, 7, 3, 4)),
    "strong": (3, 2.0, 0.75, 1.5, (2, 5, 2, 3)),
    "even": (4, 0.5, 0.6, 2.0, (1, 6, 2, 2)),
    "wide": (7, 1.0, 1.0, 1.0, (2, 3, 2, 2)),
}

torch.manual_seed(6)
for name, (size, alpha, beta, k, shape) in CASES.items():
    # inputs rounded to float32 first, so that Java reads exactly the values the float64 reference used
    x = (torch.rand(shape, dtype=torch.float64) * 4 - 2).float().double().requires_grad_()
    y = torch.nn.LocalResponseNorm(size, alpha=alpha, beta=beta, k=k)(x)
    gy = (torch.rand(shape, dtype=torch.float64) * 2 - 1).float().double()
    y.backward(gy)
    for key, value in (("x", x), ("gy", gy), ("y", y), ("gx", x.grad)):
        np.save(os.path.join(HERE, f"{name}_{key}.npy"), value.detach().numpy().astype(np.float32))
