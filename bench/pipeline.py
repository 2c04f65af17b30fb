#!/usr/bin/env python3
"""End-to-end pipeline benchmark: examples/pipelines/web.yaml (three derivatives, every feature
and both checks, from one decode per image) run by a `darkroom worker` on a SQLite queue,
against the same three derivatives made by three `vipsthumbnail` calls per image.

Both sides get 2 workers and one libvips thread per worker. Darkroom's time runs from
`darkroom submit` to the end of the batch (queueing, claiming, features and storing included;
the worker is already running, as a service would be). Prints images/s and the ratio.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from thumbnails import fetch_photos  # noqa: E402

OUTPUTS = [  # name, vipsthumbnail size and options, matching web.yaml
    ("thumbnail", ["--size", "320x320", "--smartcrop", "centre"], "webp[Q=80,strip]"),
    ("medium", ["--size", "800x800"], "jpg[Q=82,strip]"),
    ("large", ["--size", "1600x1600"], "jpg[Q=85,strip]"),
]


def run_vipsthumbnail(files, out, workers):
    env = dict(os.environ, VIPS_CONCURRENCY="1")

    def one(path):
        stem = os.path.splitext(os.path.basename(path))[0]
        for name, size, fmt in OUTPUTS:
            subprocess.run(["vipsthumbnail", *size, "-o", os.path.join(out, f"{stem}_{name}.{fmt}"), path],
                           check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, files))


def run_darkroom(binary, files, work, workers, spec):
    queue = f"sqlite:{work}/queue.db"
    storage = f"file:{work}/store"
    photos = os.path.dirname(files[0])
    env = dict(os.environ, VIPS_CONCURRENCY="1")
    worker = subprocess.Popen([binary, "worker", "--queue", queue, "--storage", storage, "--pipelines", os.path.dirname(spec),
                               "--concurrency", str(workers), "--local-root", photos, "--log-level", "warning"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)  # the worker is up, as a long-running service would be
        sources = [f"local:///{os.path.basename(f)}" for f in files]
        start = time.perf_counter()
        subprocess.run([binary, "submit", "--pipeline", spec, "--queue", queue, "--storage", storage, "--wait", *sources],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--work", default=".bench")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = fetch_photos(args.work)
    spec = os.path.abspath("examples/pipelines/web.yaml")
    workers = 2
    # The same pipeline without the signature feature: what the signature (hashes and ORB
    # keypoints) costs per image.
    unsigned_folder = tempfile.mkdtemp(prefix="darkroom-pipeline-unsigned-")
    with open(spec) as source, open(os.path.join(unsigned_folder, "web.yaml"), "w") as out:
        out.write(source.read().replace(", signature]", "]"))
    unsigned = os.path.join(unsigned_folder, "web.yaml")
    best = {"darkroom": float("inf"), "unsigned": float("inf"), "vipsthumbnail": float("inf")}
    for _ in range(args.repeat):
        scratch = tempfile.mkdtemp(prefix="darkroom-pipeline-bench-")
        try:
            best["darkroom"] = min(best["darkroom"], run_darkroom(args.darkroom, files, scratch, workers, spec))
            plain = os.path.join(scratch, "unsigned")
            os.makedirs(plain)
            best["unsigned"] = min(best["unsigned"], run_darkroom(args.darkroom, files, plain, workers, unsigned))
            out = os.path.join(scratch, "vips")
            os.makedirs(out)
            start = time.perf_counter()
            run_vipsthumbnail(files, out, workers)
            best["vipsthumbnail"] = min(best["vipsthumbnail"], time.perf_counter() - start)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    rate = {tool: len(files) / seconds for tool, seconds in best.items()}
    print(f"\nPipeline end to end: {len(files)} photos (6–21 MP JPEG), 3 derivatives each, {workers} workers, best of {args.repeat}\n")
    print("| tool | what it does per image | images/s | darkroom ÷ tool |")
    print("|---|---|---:|---:|")
    print(f"| darkroom worker + submit (web.yaml) | 1 decode, 3 derivatives, 8 features (signature included), 2 checks, queue + store | "
          f"{rate['darkroom']:.2f} | 1.00 |")
    print(f"| darkroom, web.yaml without `signature` | the same, 7 features | {rate['unsigned']:.2f} | "
          f"{rate['darkroom'] / rate['unsigned']:.2f} |")
    print(f"| vipsthumbnail × 3 | 3 decodes (shrink-on-load), 3 derivatives | {rate['vipsthumbnail']:.2f} | "
          f"{rate['darkroom'] / rate['vipsthumbnail']:.2f} |")
    overhead = best["darkroom"] / best["unsigned"] - 1
    print(f"\nThe signature (hashes and 1,024 ORB keypoints) adds {100 * overhead:.1f}% to the time per image.")
    shutil.rmtree(unsigned_folder, ignore_errors=True)


if __name__ == "__main__":
    main()
