"""PyTorch's side of `deno task bench:peers`: the same ops, sizes and timing method, in PyTorch.

Run by bench/peers.ts as a subprocess, which reads the JSON this prints on stdout:

    python3 bench/_torch.py --size N --repeats N --cols N --threads N --ops relu,sigmoid,...

Progress goes to stderr. Timing follows peers.ts's `measure`: one warm-up, then the median (and
interquartile range) of the repeats in ns per element; each repeat first times a float32 copy of
the same buffer in this process (`y.copy_(x)`), and "copyRatio" is the median of the per-repeat
ratios to it. float64 `out=` is timed right after float32 `out=` in each repeat, and "overFloat32"
is the median of those per-repeat ratios. Each op runs with `out=` into a preallocated tensor
(where PyTorch has no `out=` for an op, the ATen op it calls) and allocating (`y = f(x)`), on one
thread and on `--threads` threads (`torch.set_num_threads`).
"""
import argparse
import json
import sys
import time

import torch
import torch.nn.functional as F

# nonlin's op name -> (out= form, its spelling, allocating form), for x and y of the same shape.
# Softmax and logSoftmax are over rows: the caller passes 2-D tensors for them.
OPS = {
    # torch.relu has no out=; ATen implements it as clamp_min(x, 0) (the profiler shows
    # aten::relu calling aten::clamp_min), so out= is that.
    "relu": (lambda x, y: torch.clamp_min(x, 0, out=y), "torch.clamp_min(x, 0, out=y)", torch.relu),
    "sigmoid": (lambda x, y: torch.sigmoid(x, out=y), "torch.sigmoid(x, out=y)", torch.sigmoid),
    "tanh": (lambda x, y: torch.tanh(x, out=y), "torch.tanh(x, out=y)", torch.tanh),
    "elu": (lambda x, y: torch._C._nn.elu(x, out=y), "torch._C._nn.elu(x, out=y)", F.elu),
    "softplus": (
        lambda x, y: torch._C._nn.softplus(x, 1, 20, out=y),
        "torch._C._nn.softplus(x, 1, 20, out=y)",
        F.softplus,
    ),
    "softmax": (
        lambda x, y: torch.softmax(x, -1, out=y),
        "torch.softmax(x, -1, out=y)",
        lambda x: F.softmax(x, -1),
    ),
    "logSoftmax": (
        lambda x, y: torch.log_softmax(x, -1, out=y),
        "torch.log_softmax(x, -1, out=y)",
        lambda x: F.log_softmax(x, -1),
    ),
    "silu": (lambda x, y: torch._C._nn.silu(x, out=y), "torch._C._nn.silu(x, out=y)", F.silu),
    "gelu": (lambda x, y: torch._C._nn.gelu(x, out=y), "torch._C._nn.gelu(x, out=y)", F.gelu),
    "geluTanh": (
        lambda x, y: torch._C._nn.gelu(x, approximate="tanh", out=y),
        'torch._C._nn.gelu(x, approximate="tanh", out=y)',
        lambda x: F.gelu(x, approximate="tanh"),
    ),
    "mish": (lambda x, y: torch._C._nn.mish(x, out=y), "torch._C._nn.mish(x, out=y)", F.mish),
    "hardswish": (
        lambda x, y: torch._C._nn.hardswish(x, out=y),
        "torch._C._nn.hardswish(x, out=y)",
        F.hardswish,
    ),
}
ROWS = ("softmax", "logSoftmax")


def quantile(s, q):
    i = (len(s) - 1) * q
    lo, hi = int(i // 1), -int(-i // 1)
    return s[lo] + (s[hi] - s[lo]) * (i - lo)


def timing(times, ratios):
    times, ratios = sorted(times), sorted(ratios)
    return {
        "nsPerElement": quantile(times, 0.5),
        "spread": quantile(times, 0.75) - quantile(times, 0.25),
        "copyRatio": quantile(ratios, 0.5),
    }


def measure(n, repeats, fn, copy, partner=None):
    """fn's timing, each repeat's ratio to `copy` timed just before, and partner's (see module)."""
    times, ratios, p_times, p_ratios, over = [], [], [], [], []
    clock = time.perf_counter_ns
    for r in range(-1, repeats):
        c = clock()
        copy()
        t = clock()
        out = fn()
        end = clock()
        if partner:
            partner()
        p_end = clock()
        del out  # a freed allocation is not charged to the next repeat's copy
        if r < 0:
            continue
        copy_ns = max(t - c, 1000)
        times.append((end - t) / n)
        ratios.append((end - t) / copy_ns)
        if partner:
            p_times.append((p_end - end) / n)
            p_ratios.append((p_end - end) / copy_ns)
            over.append((p_end - end) / max(end - t, 1000))
    own = timing(times, ratios)
    if not partner:
        return own, None
    return own, dict(timing(p_times, p_ratios), overFloat32=quantile(sorted(over), 0.5))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--repeats", type=int, required=True)
    ap.add_argument("--cols", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--ops", required=True)
    a = ap.parse_args()
    n, cols = a.size, a.cols
    # The same values as peers.ts: 8 sin(0.7 i) + cos(1.3 i), in float64, rounded to float32.
    i = torch.arange(n, dtype=torch.float64)
    x = (8 * torch.sin(i * 0.7) + torch.cos(i * 1.3)).float()
    y = torch.empty_like(x)
    x64, y64 = x.double(), torch.empty(n, dtype=torch.float64)
    results, notes = [], []

    def record(group, name, t):
        results.append(dict(name=name, group=group, **t))
        print(
            f"{group:<12} {name:<34} {t['nsPerElement']:.3f} ns/elem ±{t['spread']:.3f}",
            file=sys.stderr,
        )

    def copy():
        y.copy_(x)

    ops = [op for op in a.ops.split(",") if op]
    for op in ops:
        if op not in OPS:
            notes.append(f"PyTorch has no {op} op: not measured")
    ops = [op for op in ops if op in OPS]
    notes.append("PyTorch out= as " + "; ".join(f"{op} {OPS[op][1]}" for op in ops))
    thread_counts = sorted({1, a.threads})
    for threads in thread_counts:
        torch.set_num_threads(threads)
        label = f"{threads} thread" + ("" if threads == 1 else "s")
        record("copy", f"PyTorch y.copy_(x), {label}", measure(n, a.repeats, copy, copy)[0])
        for op in ops:
            out, _, alloc = OPS[op]
            shape = (n // cols, cols) if op in ROWS else (n,)
            a32, b32 = x.view(shape), y.view(shape)
            a64, b64 = x64.view(shape), y64.view(shape)
            own, f64 = measure(
                n,
                a.repeats,
                lambda: out(a32, b32),
                copy,
                lambda: out(a64, b64),
            )
            record(op, f"PyTorch out=, {label}", own)
            record(op, f"PyTorch float64 out=, {label}", f64)
            allocating = measure(n, a.repeats, lambda: alloc(a32), copy)[0]
            record(op, f"PyTorch allocating, {label}", allocating)
    json.dump(
        {
            "version": torch.__version__,
            "python": sys.version.split()[0],
            "threads": thread_counts,
            "results": results,
            "notes": notes,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
