#!/usr/bin/env python3
"""Thumbnail benchmark: fit 400x400, JPEG q80, metadata stripped, over real photographs.

Runs darkroom and its peers side by side in one run, each with 1 and 2 workers, and prints
images per second, the ratio to darkroom at the same worker count, and the mean SSIM of each
tool's thumbnails against a reference made by a full decode and a Lanczos resize, so that
speed is compared at equal quality. Every tool gets one libvips/ImageMagick thread per worker.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool

import numpy as np
from PIL import Image

SIZE = 400
QUALITY = 80
PACKAGES = ["lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04"]


def fetch_photos(work):
    """Downloads the wallpaper packages (not installed, only unpacked) and picks the 6–21 MP JPEGs."""
    root = os.path.join(work, "photos")
    unpacked = os.path.join(root, "unpacked")
    if not glob.glob(os.path.join(unpacked, "usr/share/backgrounds/*.jpg")):
        os.makedirs(root, exist_ok=True)
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=root, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for deb in glob.glob(os.path.join(root, "*.deb")):
            subprocess.run(["dpkg", "-x", deb, unpacked], check=True)
    photos = []
    for path in sorted(glob.glob(os.path.join(unpacked, "usr/share/backgrounds/*.jpg"))):
        with Image.open(path) as im:
            megapixels = im.width * im.height / 1e6
        if 6 <= megapixels <= 21:
            photos.append(path)
    return photos


def run_darkroom(binary, files, out, workers):
    subprocess.run([binary, "process", "--recipe", f"rs:fit:{SIZE}:{SIZE}/q:{QUALITY}", "--output", out,
                    "--jobs", str(workers), *files], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def split(files, parts):
    return [files[i::parts] for i in range(parts)]


def run_vipsthumbnail(files, out, workers):
    env = dict(os.environ, VIPS_CONCURRENCY="1")
    procs = [subprocess.Popen(["vipsthumbnail", "--size", f"{SIZE}x{SIZE}", "-o",
                               os.path.join(out, f"%s.jpg[Q={QUALITY},strip,optimize_coding]"), *chunk],
                              env=env) for chunk in split(files, workers) if chunk]
    for p in procs:
        if p.wait() != 0:
            raise RuntimeError("vipsthumbnail failed")


def run_imagemagick(files, out, workers):
    env = dict(os.environ, MAGICK_THREAD_LIMIT="1")

    def one(path):
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        subprocess.run(["/usr/bin/convert", "-define", f"jpeg:size={2 * SIZE}x{2 * SIZE}", path,
                        "-thumbnail", f"{SIZE}x{SIZE}", "-quality", str(QUALITY), "-strip",
                        os.path.join(out, name)], check=True, env=env)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, files))


def pillow_one(args):
    path, out = args
    with Image.open(path) as im:
        im.draft("RGB", (SIZE, SIZE))
        im = im.convert("RGB")
        im.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        im.save(os.path.join(out, name), quality=QUALITY, optimize=True)


def run_pillow(files, out, workers):
    with Pool(workers) as pool:
        pool.map(pillow_one, [(f, out) for f in files])


def ssim(a, b):
    """Mean SSIM on luma with an 8x8 box window (numpy only)."""
    def luma(im):
        x = np.asarray(im.convert("RGB"), dtype=np.float64)
        return 0.299 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2]

    def box(x, k=8):
        c = np.cumsum(np.cumsum(np.pad(x, ((1, 0), (1, 0))), 0), 1)
        return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)

    x, y = luma(a), luma(b)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = box(x), box(y)
    vx, vy, cov = box(x * x) - mx * mx, box(y * y) - my * my, box(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(s.mean())


def reference(path, size):
    with Image.open(path) as im:
        return im.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def mean_ssim(files, out, refs):
    scores = []
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        with Image.open(os.path.join(out, name)) as thumb:
            thumb.load()
            key = (path, thumb.size)
            if key not in refs:
                refs[key] = reference(path, thumb.size)
            scores.append(ssim(thumb, refs[key]))
    return sum(scores) / len(scores)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--work", default=".bench")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the fastest counts")
    args = parser.parse_args()

    files = fetch_photos(args.work)
    if not files:
        sys.exit("bench: no photos found")
    megapixels = sum(Image.open(f).width * Image.open(f).height for f in files) / 1e6
    print(f"{len(files)} photos, {megapixels:.0f} MP in all; task: fit {SIZE}x{SIZE}, JPEG q{QUALITY}, strip")

    tools = {
        "darkroom": lambda fs, o, w: run_darkroom(args.darkroom, fs, o, w),
        "vipsthumbnail": run_vipsthumbnail,
        "ImageMagick": run_imagemagick,
        "Pillow": run_pillow,
    }
    # Repeats are interleaved, so a noisy moment on the machine hits every tool alike.
    refs, best, quality = {}, {}, {}
    for attempt in range(args.repeat):
        for workers in (1, 2):
            for name, run in tools.items():
                out = tempfile.mkdtemp(prefix=f"bench-{name}-")
                start = time.perf_counter()
                run(files, out, workers)
                elapsed = time.perf_counter() - start
                best[(name, workers)] = min(elapsed, best.get((name, workers), elapsed))
                if attempt == 0:
                    quality[(name, workers)] = mean_ssim(files, out, refs)
                shutil.rmtree(out)
    rows = [{"tool": name, "workers": workers, "images_per_s": len(files) / best[(name, workers)],
             "ssim": quality[(name, workers)]} for workers in (1, 2) for name in tools]

    print()
    print("| tool | workers | images/s | darkroom is × faster | mean SSIM vs Lanczos reference |")
    print("|---|---|---|---|---|")
    for row in rows:
        base = next(r for r in rows if r["tool"] == "darkroom" and r["workers"] == row["workers"])
        ratio = base["images_per_s"] / row["images_per_s"]
        print(f"| {row['tool']} | {row['workers']} | {row['images_per_s']:.1f} | {ratio:.2f}× | {row['ssim']:.4f} |")
    with open(os.path.join(args.work, "thumbnails.json"), "w") as fh:
        json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
