#!/usr/bin/env python3
"""Retina's whole-network benchmarks in PyTorch, for side-by-side figures (`./retina bench --compare`).

Runs with any PyTorch (1.13 or newer) and prints a table, or one JSON object with --json. The measurements and
their keys are the same as Retina's BenchRunner:

  <net>.train_ips         training images/s at batch 64, or 128 for resnet18 (forward, cross-entropy, backward,
                          Adam step)
  <net>.infer64_ips       inference images/s at batch 64 (eval mode, no autograd)
  <net>.infer1_ms         inference latency at batch 1, median over the runs, milliseconds
  gemm1024_gflops         GFLOP/s of a 1024x1024x1024 float32 matrix product
  vggconv_gflops          GFLOP/s of a 3x3 pad-1 64->64 convolution on (32, 64, 56, 56), forward + backward
  seed.train_peak_rss_mb  peak resident memory of a fresh process training the seed network 1,000 steps (MiB)
  seed.rss_growth_mb      its resident memory after step 1,000 less after step 100 (MiB)
  resnet18.train_peak_rss_mb  peak resident memory of a fresh process training resnet18 5 steps (MiB)
  seed.first_step_s       seconds from launching a fresh process to the end of its first training step
  seed.train_ips_1t       training images/s of the seed network on one thread, then on N (.train_ips_nt)

The warmup group runs fresh processes, as a user starts them, on the real Fashion-MNIST (--data, its IDX files):

  seed.job_s              the default job, launch to exit: five epochs of the seed network (Adam 1e-3, batch 64,
                          55,000 images, 5,000 held out and evaluated each epoch), then the test set, then saved
  seed.first_epoch_ips    that job's first epoch: training images/s (the training loop's time, not validation's)
  seed.cold_predict_s     launch to exit of a fresh process classifying one 28x28 PNG with the saved model
                          (median of 3)

<net> is `seed` (seed 000's Fashion-MNIST network), `lenet5` (the classic LeNet-5 on 1x32x32), `resnet18`
(ResNet-18 with the CIFAR stem, a 3x3 stride-1 first convolution and no max pooling, 10 classes, on 3x32x32; group
resnet18) or `mobilenetv2` (torchvision's MobileNet v2, 10 classes, on 3x64x64; group mobilenetv2; needs
torchvision). Inputs are random images held in memory, so the figures measure the engine, not data loading.

With --device cuda the GPU groups run instead (gpu_seed, gpu_resnet18), measured as a PyTorch user trains: model
and optimizer on the GPU with PyTorch's default settings (cudnn.benchmark and the TF32 switches left as they are,
and reported under "notes"), each batch copied from host memory inside the timed step, and loss.item() plus the
argmax of the output brought back to the host every step:

  <net>.cuda_train64_ips     training images/s at batch 64 (gpu_seed also at batch 256: .cuda_train256_ips)
  <net>.cuda_infer1024_ips   inference images/s at batch 1024 (--infer-batch), output copied back to the host

where <net> is `seed` or `resnet18` (ResNet-18 as torchvision builds it, 1000 classes, on 3x224x224).
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def seed_net():
    return nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5, padding=2), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(16, 120, 5), nn.Tanh(), nn.Flatten(),
        nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))


class BasicBlock(nn.Module):
    """torchvision's ResNet basic block: two 3x3 convolutions with batch norm, plus a 1x1 projection if needed."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


def resnet18(num_classes=1000, cifar=False):
    """ResNet-18 exactly as torchvision.models.resnet18 builds it (without needing torchvision); with cifar, the
    CIFAR stem instead: a 3x3 stride-1 convolution and no max pooling (Retina's zoo entry resnet18-cifar)."""
    if cifar:
        layers = [nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)]
    else:
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
                  nn.MaxPool2d(3, 2, 1)]
    inplanes = 64
    for stage, planes in enumerate((64, 128, 256, 512)):
        for b in range(2):
            layers.append(BasicBlock(inplanes, planes, 2 if stage > 0 and b == 0 else 1))
            inplanes = planes
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, num_classes)]
    return nn.Sequential(*layers)


def mobilenet_v2():
    """torchvision's MobileNet v2 with 10 classes (Retina's zoo mobilenet_v2 has the same layers and names)."""
    import torchvision
    return torchvision.models.mobilenet_v2(num_classes=10)


NETS = {"seed": (seed_net, (1, 28, 28)), "lenet5": (lenet5, (1, 32, 32)), "resnet18": (resnet18, (3, 224, 224)),
        "resnet18_cifar": (lambda: resnet18(10, cifar=True), (3, 32, 32)), "mobilenetv2": (mobilenet_v2, (3, 64, 64))}
BATCH = 64
POOL = 16  # distinct batches cycled through, like a loader would hand out
POOL_BYTES = 1 << 30  # host memory the cycled batches of one GPU measurement may take (at least two batches)
GPU_GROUPS = ("gpu_seed", "gpu_resnet18")


def data(shape, batch, count=POOL):
    g = torch.Generator().manual_seed(7)
    xs = [torch.rand((batch,) + shape, generator=g) for _ in range(count)]
    ys = [torch.randint(0, 10, (batch,), generator=g) for _ in range(count)]
    return xs, ys


def timed(fn, seconds, min_iters=5):
    """Runs fn repeatedly for about `seconds` after a warm-up of the same length; returns seconds per call."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        fn()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < min_iters:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def train_step_fn(net, xs, ys):
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    net.train()
    state = {"i": 0}

    def step():
        i = state["i"] % len(xs)
        state["i"] += 1
        opt.zero_grad(set_to_none=False)
        loss = F.cross_entropy(net(xs[i]), ys[i])
        loss.backward()
        opt.step()
    return step


def bench_train(name, seconds, results, key=".train_ips", batch=BATCH, label=None):
    make, shape = NETS[name]
    torch.manual_seed(0)
    net = make()
    xs, ys = data(shape, batch)
    times = timed(train_step_fn(net, xs, ys), seconds)
    results[(label or name) + key] = batch / statistics.median(times)
    return net, xs


def bench_net(name, seconds, results):
    net, xs = bench_train(name, seconds, results)
    net.eval()
    with torch.inference_mode():
        state = {"i": 0}

        def infer64():
            state["i"] += 1
            net(xs[state["i"] % len(xs)])
        results[name + ".infer64_ips"] = BATCH / statistics.median(timed(infer64, seconds))
        ones = [x[:1].clone() for x in xs]

        def infer1():
            state["i"] += 1
            net(ones[state["i"] % len(ones)])
        results[name + ".infer1_ms"] = 1e3 * statistics.median(timed(infer1, seconds, min_iters=50))


def bench_gemm(seconds, results):
    g = torch.Generator().manual_seed(1)
    a = torch.rand(1024, 1024, generator=g)
    b = torch.rand(1024, 1024, generator=g)
    c = torch.empty(1024, 1024)
    times = timed(lambda: torch.mm(a, b, out=c), seconds)
    results["gemm1024_gflops"] = 2 * 1024 ** 3 / statistics.median(times) / 1e9


def bench_vgg_conv(seconds, results):
    torch.manual_seed(0)
    conv = nn.Conv2d(64, 64, 3, padding=1)
    x = torch.rand(32, 64, 56, 56, requires_grad=True)
    gy = torch.rand(32, 64, 56, 56)

    def step():
        conv.zero_grad(set_to_none=False)
        x.grad = None
        conv(x).backward(gy)
    times = timed(step, seconds, min_iters=3)
    flops = 3 * 2 * 32 * 64 * 56 * 56 * 64 * 9  # forward, backward data, backward weights
    results["vggconv_gflops"] = flops / statistics.median(times) / 1e9


def gpu_pool(shape, batch):
    """Batches cycled through on the GPU side: as many as fit in POOL_BYTES, between 2 and POOL (as Retina)."""
    size = 4 * batch
    for d in shape:
        size *= d
    return max(2, min(POOL, POOL_BYTES // size))


def cuda_timed(fn, seconds, min_iters=5):
    """timed() for GPU work: each call ends synchronized, and the warm-up lasts at least 5 s, as Retina's (cuDNN
    picks its algorithms, the caching allocator fills)."""
    def call():
        fn()
        torch.cuda.synchronize()
    torch.cuda.synchronize()
    end = time.perf_counter() + max(seconds, 5.0)
    while time.perf_counter() < end:
        call()
    torch.cuda.synchronize()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < min_iters:
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return times


def gpu_train(name, batch, seconds, results, dev):
    """Training images/s: batch copied in, forward, cross-entropy, backward, Adam; loss and argmax to the host."""
    make, shape = NETS[name]
    torch.manual_seed(0)
    net = make().to(dev)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    xs, ys = data(shape, batch, gpu_pool(shape, batch))
    state = {"i": 0}

    def step():
        i = state["i"] % len(xs)
        state["i"] += 1
        x, y = xs[i].to(dev), ys[i].to(dev)
        opt.zero_grad()
        out = net(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        loss.item()
        out.argmax(1).cpu()
    results["%s.cuda_train%d_ips" % (name, batch)] = batch / statistics.median(cuda_timed(step, seconds))
    del net, opt, xs, ys
    torch.cuda.empty_cache()


def gpu_infer(name, batch, seconds, results, dev):
    """Inference images/s in eval mode: each batch copied in, the output copied back to the host."""
    make, shape = NETS[name]
    torch.manual_seed(0)
    net = make().to(dev)
    net.eval()
    xs, _ = data(shape, batch, gpu_pool(shape, batch))
    state = {"i": 0}

    def infer():
        i = state["i"] % len(xs)
        state["i"] += 1
        with torch.inference_mode():
            net(xs[i].to(dev)).cpu()
    results["%s.cuda_infer%d_ips" % (name, batch)] = batch / statistics.median(cuda_timed(infer, seconds))
    del net, xs
    torch.cuda.empty_cache()


def gpu_notes():
    """PyTorch's settings that bear on the GPU figures, as they were (this script changes none of them)."""
    notes = {"cuda": torch.version.cuda, "cudnn_version": torch.backends.cudnn.version(),
             "cudnn_benchmark": torch.backends.cudnn.benchmark,
             "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
             "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32}
    if hasattr(torch, "get_float32_matmul_precision"):
        notes["float32_matmul_precision"] = torch.get_float32_matmul_precision()
    return notes


def run_gpu(args):
    if not torch.cuda.is_available():
        raise SystemExit("bench.py --device %s: PyTorch %s sees no CUDA device" % (args.device, torch.__version__))
    dev = torch.device(args.device)
    only = set(filter(None, args.only.split(","))) or set(GPU_GROUPS)
    unknown = only - set(GPU_GROUPS)
    if unknown:
        raise SystemExit("bench.py --device cuda: no group %s; groups: %s" % (sorted(unknown), ",".join(GPU_GROUPS)))
    results = {}
    if "gpu_seed" in only:
        gpu_train("seed", 64, args.seconds, results, dev)
        gpu_train("seed", 256, args.seconds, results, dev)
        gpu_infer("seed", args.infer_batch, args.seconds, results, dev)
    if "gpu_resnet18" in only:
        gpu_train("resnet18", 64, args.seconds, results, dev)
        gpu_infer("resnet18", args.infer_batch, args.seconds, results, dev)
    index = dev.index if dev.index is not None else torch.cuda.current_device()
    return {"engine": "PyTorch " + torch.__version__, "threads": args.threads,
            "device": "cuda:%d (%s)" % (index, torch.cuda.get_device_name(index)), "notes": gpu_notes(),
            "results": results}


def rss_now_kib():
    """The resident memory of this process now (VmRSS of /proc/self/status), KiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


PROBE_NETS = {"seed": ("seed", BATCH), "resnet18": ("resnet18_cifar", 128)}


def probe(threads, steps, net_key):
    """The child process of the memory and launch probes: trains a network for `steps` steps, printing when the
    first is done, the resident memory after a tenth of the steps and at the end, and the peak."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    name, batch = PROBE_NETS[net_key]
    make, shape = NETS[name]
    net = make()
    xs, ys = data(shape, batch, count=4)
    step = train_step_fn(net, xs, ys)
    step()
    print("first-step", flush=True)
    early = max(1, steps // 10)
    if early == 1:
        print("rss-early-kib %d" % rss_now_kib(), flush=True)
    for s in range(1, steps):
        step()
        if s + 1 == early:
            print("rss-early-kib %d" % rss_now_kib(), flush=True)
    print("rss-end-kib %d" % rss_now_kib(), flush=True)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("peak-rss-kib %d" % rss_kib, flush=True)


def run_probe(threads, steps, net_key="seed"):
    """Launches the probe; returns (seconds to its first step, its peak RSS, RSS after a tenth of the steps, RSS at
    the end), the memory in MiB."""
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--probe", "--threads", str(threads),
                          "--steps", str(steps), "--net", net_key], stdout=subprocess.PIPE, text=True)
    first = rss = early = end = None
    for line in p.stdout:
        if line.startswith("first-step") and first is None:
            first = time.perf_counter() - t0
        elif line.startswith("peak-rss-kib"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("rss-early-kib"):
            early = int(line.split()[1]) / 1024
        elif line.startswith("rss-end-kib"):
            end = int(line.split()[1]) / 1024
    if p.wait() != 0:
        raise SystemExit("the probe process failed")
    return first, rss, early, end


def read_idx(path):
    """An IDX file (gzipped) as a uint8 tensor: images (N, 28, 28) or labels (N,)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def job(threads, data, epochs, out):
    """The child of the warmup group: the default job, as `retina train` runs it, on Fashion-MNIST."""
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    x = read_idx(os.path.join(data, "train-images-idx3-ubyte.gz")).float().div_(255).unsqueeze(1)
    y = read_idx(os.path.join(data, "train-labels-idx1-ubyte.gz")).long()
    xt = read_idx(os.path.join(data, "t10k-images-idx3-ubyte.gz")).float().div_(255).unsqueeze(1)
    yt = read_idx(os.path.join(data, "t10k-labels-idx1-ubyte.gz")).long()
    xv, yv, x, y = x[-5000:], y[-5000:], x[:-5000], y[:-5000]
    net = seed_net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def evaluate(xs, ys):
        net.eval()
        right = 0
        with torch.no_grad():
            for i in range(0, len(xs), 256):
                right += (net(xs[i:i + 256]).argmax(1) == ys[i:i + 256]).sum().item()
        return right / len(xs)

    for epoch in range(epochs):
        net.train()
        order = torch.randperm(len(x))
        t0 = time.perf_counter()
        for i in range(0, len(x), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t0
        print("epoch %d: %.1f s, %.0f img/s, val_acc %.4f" % (epoch + 1, seconds, len(x) / seconds,
                                                             evaluate(xv, yv)), flush=True)
    print("test_acc %.4f" % evaluate(xt, yt), flush=True)
    torch.save(net.state_dict(), out)


def predict(model, image):
    """The child of the cold prediction: one PNG through the saved seed network, its three likeliest classes."""
    from PIL import Image
    net = seed_net()
    net.load_state_dict(torch.load(model))
    net.eval()
    px = torch.tensor(list(Image.open(image).convert("L").getdata()), dtype=torch.float32).div_(255)
    with torch.no_grad():
        p = F.softmax(net(px.reshape(1, 1, 28, 28)), 1)[0]
    top = p.topk(3)
    print(" ".join("%d %.1f%%" % (int(c), 100 * float(v)) for v, c in zip(top.values, top.indices)))


def run_warmup(threads, data, results):
    """The warmup group: the job and three cold predictions, each a fresh process, timed launch to exit."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "seed.pt")
        me = os.path.abspath(__file__)
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, me, "--job", "--data", data, "--threads", str(threads),
                              "--out", model], stdout=subprocess.PIPE, text=True, check=True).stdout
        results["seed.job_s"] = time.perf_counter() - t0
        first = [line for line in out.splitlines() if line.startswith("epoch 1:")][0]
        results["seed.first_epoch_ips"] = float(first.split(",")[1].split()[0])
        from PIL import Image
        image = os.path.join(tmp, "image.png")
        x = read_idx(os.path.join(data, "t10k-images-idx3-ubyte.gz"))[0]
        Image.frombytes("L", (28, 28), bytes(x.flatten().tolist())).save(image)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, me, "--predict", model, image], stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t0)
        results["seed.cold_predict_s"] = statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2)")
    ap.add_argument("--seconds", type=float, default=3.0, help="seconds per measurement after as long a warm-up")
    ap.add_argument("--only", default="", help="comma-separated subset: seed,lenet5,gemm,conv,scaling,probe,warmup,"
                    "resnet18,mobilenetv2"
                    " (with --device cuda: gpu_seed,gpu_resnet18)")
    ap.add_argument("--device", default="cpu", help="cpu (default), or cuda: the GPU groups instead")
    ap.add_argument("--infer-batch", type=int, default=1024, help="batch of the GPU inference figures (1024)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--data", help="the Fashion-MNIST IDX folder, for the warmup group")
    ap.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--job", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--predict", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--steps", type=int, default=100, help=argparse.SUPPRESS)
    ap.add_argument("--net", default="seed", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        probe(args.threads, args.steps, args.net)
        return
    if args.job:
        job(args.threads, args.data, 5, args.out)
        return
    if args.predict:
        predict(*args.predict)
        return
    torch.set_num_threads(args.threads)
    if args.device != "cpu":
        out = run_gpu(args)
        if args.json:
            print(json.dumps(out))
        else:
            print("%s on %s, %d threads" % (out["engine"], out["device"], args.threads))
            print("  settings: %s" % out["notes"])
            for k, v in out["results"].items():
                print("  %-26s %12.3f" % (k, v))
        return
    only = set(filter(None, args.only.split(","))) or {"seed", "lenet5", "gemm", "conv", "scaling", "probe", "resnet18",
                                                        "mobilenetv2"}

    results = {}
    for name in ("seed", "lenet5"):
        if name in only:
            bench_net(name, args.seconds, results)
    if "gemm" in only:
        bench_gemm(args.seconds, results)
    if "conv" in only:
        bench_vgg_conv(args.seconds, results)
    if "scaling" in only:
        # one thread, then N, back to back
        torch.set_num_threads(1)
        bench_train("seed", args.seconds, results, ".train_ips_1t")
        torch.set_num_threads(args.threads)
        bench_train("seed", args.seconds, results, ".train_ips_nt")
    if "probe" in only:
        firsts, rsss, growths = [], [], []
        for _ in range(3):
            f, r, early, end = run_probe(args.threads, 1000)
            firsts.append(f)
            rsss.append(r)
            growths.append(end - early)
        results["seed.first_step_s"] = statistics.median(firsts)
        results["seed.train_peak_rss_mb"] = statistics.median(rsss)
        results["seed.rss_growth_mb"] = statistics.median(growths)
    if "resnet18" in only:
        bench_train("resnet18_cifar", args.seconds, results, batch=128, label="resnet18")
        results["resnet18.train_peak_rss_mb"] = run_probe(args.threads, 5, "resnet18")[1]
    if "mobilenetv2" in only:
        bench_train("mobilenetv2", args.seconds, results)
    if "warmup" in only:
        if not args.data:
            raise SystemExit("the warmup group needs --data, the Fashion-MNIST IDX folder")
        run_warmup(args.threads, args.data, results)
    out = {"engine": "PyTorch " + torch.__version__, "threads": args.threads, "results": results}
    if args.json:
        print(json.dumps(out))
    else:
        print("%s, %d threads" % (out["engine"], args.threads))
        for k, v in results.items():
            print("  %-26s %12.3f" % (k, v))


if __name__ == "__main__":
    main()
