#!/usr/bin/env python3
"""Thumbnail benchmark: fit 400x400, q80, metadata stripped, over real photographs.

Runs darkroom and its peers side by side in one run (pyvips on the same libvips 8.18 wheel,
Pillow-SIMD built with AVX2, Pillow, OpenCV; vipsthumbnail 8.14 and ImageMagick on JPEG), for
JPEG, WebP, AVIF and PNG-with-alpha sources and short 10-file batches, each with 1 and 2
workers, and prints images per second, images per CPU-second, the ratio of darkroom to each,
and each tool's mean SSIM against a full decode and a Lanczos resize, so that speed is
compared at equal quality. Every tool gets one thread per worker process; darkroom runs as
one process with one pixel thread per worker, as it is meant to be run.
"""
import argparse
import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

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


WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "thumbnail_worker.py")
# Every library gets one thread per worker process: the benchmark parallelises across workers.
ONE_THREAD = dict(os.environ, VIPS_CONCURRENCY="1", MAGICK_THREAD_LIMIT="1", OMP_NUM_THREADS="1",
                  OPENCV_FOR_THREADS_NUM="1")

# (title, source kind, output format)
CASES = [
    ("JPEG → JPEG", "jpeg", "jpg"),
    ("JPEG → WebP", "jpeg", "webp"),
    ("WebP → JPEG", "webp", "jpg"),
    ("AVIF → JPEG", "avif", "jpg"),
    ("PNG with alpha → JPEG", "png", "jpg"),
    ("JPEG → JPEG, 10 files per process", "short", "jpg"),
]


def prepare_sources(work, photos):
    """The photos in each source kind, made once with libvips 8.18 (pyvips) and kept: WebP q90
    and AVIF q70 at full size, PNG with an alpha channel (a soft vignette) at half size."""
    import pyvips
    sources = {"jpeg": photos, "short": photos}
    for kind in ("webp", "avif", "png"):
        folder = os.path.join(work, "sources", kind)
        os.makedirs(folder, exist_ok=True)
        made = []
        for path in photos:
            target = os.path.join(folder, os.path.splitext(os.path.basename(path))[0] + "." + kind)
            if not os.path.exists(target):
                image = pyvips.Image.new_from_file(path)
                if kind == "webp":
                    image.webpsave(target + ".part", Q=90, effort=2, keep="none")
                elif kind == "avif":
                    image.heifsave(target + ".part", Q=70, compression="av1", effort=0, keep="none")
                else:
                    image = image.resize(0.5)
                    # Alpha falls from opaque at the centre to 20% at the corners.
                    xy = pyvips.Image.xyz(image.width, image.height)
                    centre = [image.width / 2, image.height / 2]
                    squares = (xy - centre) ** 2
                    distance = (squares[0] + squares[1]) ** 0.5 / (max(centre) * 1.42)
                    alpha = (255 - distance * 204).cast("uchar")
                    image.bandjoin(alpha).pngsave(target + ".part", compression=6, keep="none")
                os.rename(target + ".part", target)
            made.append(target)
        sources[kind] = made
    return sources


def split(files, parts):
    return [files[i::parts] for i in range(parts)]


def in_processes(commands, env=ONE_THREAD):
    """Runs the commands at once, one process each, and fails if any does."""
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(err.decode(errors="replace")[-300:])


def darkroom_tool(binary):
    def run(chunks, out, fmt, one_process):
        recipe = f"rs:fit:{SIZE}:{SIZE}/q:{QUALITY}/f:{fmt}"
        if one_process:
            # How darkroom is run: one process, one pixel thread per worker.
            files = [f for chunk in chunks for f in chunk]
            commands = [[binary, "process", "--recipe", recipe, "--output", out, "--jobs", str(len(chunks)), *files]]
        else:
            commands = [[binary, "process", "--recipe", recipe, "--output", out, "--jobs", "1", *chunk] for chunk in chunks]
        in_processes(commands)
    return run


def python_tool(python, tool):
    def run(chunks, out, fmt, one_process):
        if one_process:
            files = [f for chunk in chunks for f in chunk]
            in_processes([[python, WORKER, tool, str(len(chunks)), str(SIZE), str(QUALITY), fmt, out, *files]])
        else:
            in_processes([[python, WORKER, tool, "1", str(SIZE), str(QUALITY), fmt, out, *chunk] for chunk in chunks])
    return run


def vipsthumbnail_tool(chunks, out, fmt, one_process):
    in_processes([["vipsthumbnail", "--size", f"{SIZE}x{SIZE}", "-o",
                   os.path.join(out, f"%s.jpg[Q={QUALITY},strip,optimize_coding]"), *chunk] for chunk in chunks if chunk])


def imagemagick_tool(chunks, out, fmt, one_process):
    def one(path):
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        subprocess.run(["/usr/bin/convert", "-define", f"jpeg:size={2 * SIZE}x{2 * SIZE}", path,
                        "-thumbnail", f"{SIZE}x{SIZE}", "-quality", str(QUALITY), "-strip",
                        os.path.join(out, name)], check=True, env=ONE_THREAD)

    with ThreadPoolExecutor(len(chunks)) as pool:
        list(pool.map(one, [f for chunk in chunks for f in chunk]))


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ssim(a, b):
    """Mean SSIM on luma with an 8x8 box window (numpy only)."""
    def luma(im):
        # What a viewer sees on a white page: alpha is flattened onto white first.
        if "A" in im.getbands() or "transparency" in im.info:
            im = im.convert("RGBA")
            flat = Image.new("RGB", im.size, (255, 255, 255))
            flat.paste(im, mask=im.getchannel("A"))
            im = flat
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
    """A full decode (alpha flattened onto white) and a Lanczos resize to the thumbnail's size."""
    with Image.open(path) as im:
        im = im.convert("RGBA")
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        return flat.resize(size, Image.Resampling.LANCZOS)


def mean_ssim(files, out, refs, fmt):
    scores = []
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0] + "." + fmt
        with Image.open(os.path.join(out, name)) as thumb:
            thumb.load()
            key = (path, thumb.size)
            if key not in refs:
                refs[key] = reference(path, thumb.size)
            scores.append(ssim(thumb, refs[key]))
    return sum(scores) / len(scores)


def print_summary(rows):
    """One line per case and worker count: darkroom's rate and its ratio to each peer."""
    peers = ["pyvips 8.18", "Pillow-SIMD", "Pillow", "OpenCV"]
    print("\n### Summary: darkroom's images/s, and darkroom ÷ each peer\n")
    print("| case | workers | darkroom images/s | " + " | ".join(f"÷ {p}" for p in peers) + " | darkroom SSIM (best peer) |")
    print("|---|---|---|" + "---|" * len(peers) + "---|")
    cases = list(dict.fromkeys(r["case"] for r in rows))
    for case in cases:
        for workers in (1, 2):
            mine = next((r for r in rows if r["case"] == case and r["tool"] == "darkroom" and r["workers"] == workers), None)
            if not mine:
                continue
            cells = []
            for peer in peers:
                other = next((r for r in rows if r["case"] == case and r["tool"] == peer and r["workers"] == workers), None)
                cells.append(f"{mine['images_per_s'] / other['images_per_s']:.2f}×" if other else "n/a")
            best_peer = max((r["ssim"] for r in rows if r["case"] == case and r["tool"] != "darkroom"), default=float("nan"))
            print(f"| {case} | {workers} | {mine['images_per_s']:.1f} | " + " | ".join(cells)
                  + f" | {mine['ssim']:.4f} ({best_peer:.4f}) |")


def print_stages(photos, simd):
    """Where one process's time goes on JPEG → JPEG, and the JPEG decode alone at one DCT scale."""
    print("\n### Where one process's time goes, JPEG → JPEG (seconds over all photos, one worker)\n")
    for label, python, tool in (("libvips 8.18 (pyvips)", sys.executable, "pyvips"),
                                ("Pillow-SIMD", simd, "pillow")):
        parts = stages(python, tool + "-stages", photos)
        parts.update(stages(python, tool + "-decode", photos))
        print(f"- {label}: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))


def stages(python, tool, files):
    """Where one process's time goes, summed over the files (see thumbnail_worker.py)."""
    result = subprocess.run([python, WORKER, tool, "1", str(SIZE), str(QUALITY), "jpg", "/tmp", *files],
                            env=ONE_THREAD, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--work", default=".bench")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the fastest counts")
    parser.add_argument("--cases", default="", help="comma-separated source kinds to run (default: all)")
    parser.add_argument("--summary", action="store_true", help="only print the summary of the last run's thumbnails.json")
    parser.add_argument("--stages", action="store_true", help="only print where one process's JPEG time goes")
    args = parser.parse_args()
    if args.summary:
        with open(os.path.join(args.work, "thumbnails.json")) as fh:
            print_summary(json.load(fh))
        return
    if args.stages:
        print_stages(fetch_photos(args.work), os.path.join(args.work, "simd", "bin", "python"))
        return

    photos = fetch_photos(args.work)
    if not photos:
        sys.exit("bench: no photos found")
    megapixels = sum(Image.open(f).width * Image.open(f).height for f in photos) / 1e6
    sources = prepare_sources(args.work, photos)
    simd = os.path.join(args.work, "simd", "bin", "python")
    tools = {
        "darkroom": darkroom_tool(args.darkroom),
        "pyvips 8.18": python_tool(sys.executable, "pyvips"),
        "Pillow-SIMD": python_tool(simd, "pillow"),
        "Pillow": python_tool(sys.executable, "pillow"),
        "OpenCV": python_tool(sys.executable, "opencv"),
        "vipsthumbnail 8.14": vipsthumbnail_tool,
        "ImageMagick": imagemagick_tool,
    }
    only_jpeg = {"vipsthumbnail 8.14", "ImageMagick"}
    import pyvips
    print(f"{len(photos)} photos, {megapixels:.0f} MP in all; fit {SIZE}x{SIZE}, q{QUALITY}, metadata stripped; "
          f"pyvips on libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}; "
          f"darkroom: {subprocess.run([args.darkroom, '--version'], capture_output=True, text=True).stdout.strip()}")

    wanted = set(filter(None, args.cases.split(",")))
    rows = []
    refs = {}
    for title, kind, fmt in CASES:
        if wanted and kind not in wanted:
            continue
        files = sources[kind]
        # Repeats are interleaved, so a noisy moment on the machine hits every tool alike.
        best, quality, missing = {}, {}, {}
        for attempt in range(args.repeat):
            for workers in (1, 2):
                if kind == "short":
                    # Each process gets 10 files: start-up counts as it does for small batches.
                    chunks = [[photos[(w * 10 + i) % len(photos)] for i in range(10)] for w in range(workers)]
                else:
                    chunks = split(files, workers)
                for name, run in tools.items():
                    if name in missing or (name in only_jpeg and (kind, fmt) != ("jpeg", "jpg")):
                        continue
                    out = tempfile.mkdtemp(prefix="bench-thumbs-")
                    cpu, start = children_cpu(), time.perf_counter()
                    try:
                        run(chunks, out, fmt, kind != "short")
                    except RuntimeError as error:
                        missing[name] = str(error).strip().splitlines()[-1] if str(error).strip() else "failed"
                        shutil.rmtree(out)
                        continue
                    elapsed, used = time.perf_counter() - start, children_cpu() - cpu
                    count = sum(len(c) for c in chunks)
                    key = (name, workers)
                    if key not in best or elapsed < best[key][0]:
                        best[key] = (elapsed, used, count)
                    if attempt == 0 and workers == 1:
                        done = sorted({f for c in chunks for f in c})
                        quality[name] = mean_ssim(done, out, refs, fmt)
                    shutil.rmtree(out)
        print(f"\n### {title} ({len(files) if kind != 'short' else '10 per process'} files)\n")
        print("| tool | workers | images/s | images per CPU-second | darkroom ÷ tool (images/s) | mean SSIM |")
        print("|---|---|---|---|---|---|")
        for workers in (1, 2):
            base = best.get(("darkroom", workers))
            for name in tools:
                if (name, workers) not in best:
                    continue
                elapsed, used, count = best[(name, workers)]
                rate = count / elapsed
                ratio = (base[2] / base[0]) / rate if base else float("nan")
                row = {"case": title, "tool": name, "workers": workers, "images_per_s": rate,
                       "images_per_cpu_s": count / used if used else float("nan"), "ratio": ratio,
                       "ssim": quality.get(name, float("nan"))}
                rows.append(row)
                print(f"| {name} | {workers} | {rate:.1f} | {row['images_per_cpu_s']:.1f} | {ratio:.2f}× | {row['ssim']:.4f} |")
        for name, why in missing.items():
            print(f"| {name} | – | cannot read this source: {why[:80]} | | | |")

    print_summary(rows)
    if not wanted or "jpeg" in wanted:
        print_stages(photos, simd)
    with open(os.path.join(args.work, "thumbnails.json"), "w") as fh:
        json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
