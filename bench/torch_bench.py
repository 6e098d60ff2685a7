"""PyTorch's F.cross_entropy (mean) on the CPU, one thread, forward and forward + backward, by the
protocol of bench/timing.mjs on the same data. Run by bench/run.mjs with Debian's python3-torch:
    /usr/bin/python3 bench/torch_bench.py '{"shapes": [[384, 2971]], "warmupMs": 200, "samples": 21, "sampleMs": 20}'
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def make_logits(rows, classes):
    i = np.arange(rows * classes, dtype=np.uint64)
    h = (i * np.uint64(2654435761)) % np.uint64(2**32)
    return torch.from_numpy((8.0 * h.astype(np.float64) / 4294967296.0 - 4.0).astype(np.float32).reshape(rows, classes))


def make_labels(rows, classes):
    return torch.tensor([(7 * r + 3) % classes for r in range(rows)], dtype=torch.int64)


def time_calls(call, warmupMs=200, samples=21, sampleMs=20):
    start = time.perf_counter()
    calls = 0
    while True:
        loss = call()
        calls += 1
        if (time.perf_counter() - start) * 1000 >= warmupMs:
            break
    per_call = (time.perf_counter() - start) * 1000 / calls
    calls_per_sample = max(1, int(sampleMs / max(per_call, 1e-6)))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(calls_per_sample):
            loss = call()
        times.append((time.perf_counter() - t0) * 1e6 / calls_per_sample)
    times.sort()
    return {"median_us": times[len(times) // 2], "min_us": times[0], "max_us": times[-1],
            "samples": samples, "calls_per_sample": calls_per_sample, "loss": float(loss)}


def main():
    options = json.loads(sys.argv[1])
    shapes = options.pop("shapes")
    torch.set_num_threads(1)
    impl = f"PyTorch {torch.__version__.split('+')[0]} CPU, 1 thread"
    results = []
    for rows, classes in shapes:
        logits = make_logits(rows, classes)
        labels = make_labels(rows, classes)

        def forward():
            with torch.no_grad():
                return F.cross_entropy(logits, labels).item()

        leaf = logits.clone().requires_grad_(True)

        def forward_backward():
            leaf.grad = None
            loss = F.cross_entropy(leaf, labels)
            loss.backward()
            return loss.item()

        results.append({"impl": impl, "shape": [rows, classes], "mode": "forward", **time_calls(forward, **options)})
        results.append({"impl": impl, "shape": [rows, classes], "mode": "forward+backward",
                        **time_calls(forward_backward, **options)})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
