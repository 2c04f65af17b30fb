#!/usr/bin/env python3
"""Automatic quality, measured: `q:auto` (and other `aq` targets) against fixed q80, for JPEG and
WebP output, over the bench photos (the Lomiri wallpapers, 6-21 MP) and one file per distinct
picture of the shared corpus (the test fixtures' photos when that is absent), each fitted in
800 x 800.

An independent judge scores every result against the same image before encoding (a lossless
PNG render of the same recipe): SSIMULACRA2 (PyPI `ssimulacra2`; 90 is visually lossless, 70
high quality, 50 medium) and plain SSIM (Gaussian window, luma). The table gives total bytes, the
judge's median and worst image, how many images fall below the bar (q80's median SSIMULACRA2 for
that format), and the time per request: the first request of an image (a cold search), a repeat
(seeded from the first, as another size of the same image is) and fixed q80, with the server's
result cache off. One `darkroom serve`, requests one at a time.
"""
import argparse, glob, io, os, shutil, statistics, subprocess, tempfile, time, urllib.error, urllib.request

import numpy as np
from PIL import Image
from scipy import ndimage
from ssimulacra2 import compute_ssimulacra2

import server
from thumbnails import fetch_photos

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Sources/TestSupport/Fixtures/natural")
# The shared corpus, where this checkout has it: one file per distinct picture at least 96 px
# wide (its other files are the same pictures in other encodings).
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
CORPUS_PICKS = ["natural/astronaut.png", "natural/camera.png", "natural/chelsea.png", "natural/coffee.png",
                "natural/grace_hopper.jpg", "natural/rocket.jpg", "jpeg_go/video-001.png", "jpeg_go/video-005.gray.png",
                "pillow_hopper_formats/hopper.png", "pillow_hopper_formats/pil_sample_rgb.jpg",
                "webp_tiff_xgo/blue-purple-pink.lossless.webp", "webp_tiff_xgo/tux.lossless.webp",
                "webp_tiff_xgo/yellow_rose.lossless.webp"]
PORT = 18183
FIT = "rs:fit:800:800"


def ssim(a, b):
    """Mean SSIM of luma with an 11-tap Gaussian window (sigma 1.5), as Wang et al. define it."""
    def luma(image):
        rgb = np.asarray(image.convert("RGB"), dtype=np.float64)
        return rgb @ np.array([0.299, 0.587, 0.114])
    x, y = luma(a), luma(b)
    blur = lambda v: ndimage.gaussian_filter(v, 1.5, truncate=3.5)
    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    return float(np.mean(((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))))


def gradient_energy(image):
    """Mean absolute difference of neighbouring luma levels, across and down: how busy a picture is."""
    y = np.asarray(image.convert("RGB"), dtype=np.float64) @ np.array([0.299, 0.587, 0.114])
    return float(np.mean(np.abs(np.diff(y, axis=1))) + np.mean(np.abs(np.diff(y, axis=0))))


def complexity_fit(rows):
    """How well a picture's busyness predicts the quality a search chose: the correlation of
    ln(gradient energy) with the chosen quality, and the spread of the chosen quality around a
    least-squares line through it against the spread around the median (images whose target was met)."""
    met = [r for r in rows if not r["unmet"] and r["quality"]]
    if len(met) < 3:
        return None
    x = np.log([max(r["detail"], 1e-3) for r in met])
    q = np.array([float(r["quality"]) for r in met])
    slope, intercept = np.polyfit(x, q, 1)
    residual = float(np.std(q - (intercept + slope * x)))
    return len(met), float(np.corrcoef(x, q)[0, 1]), residual, float(np.sqrt(np.mean((q - np.median(q)) ** 2)))


def flattened(image):
    """RGB over white: transparency composited as a page shows it."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        page = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(page, image).convert("RGB")
    return image.convert("RGB")


def fetch(path):
    start = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/unsafe/{path}", timeout=120) as response:
        body = response.read()
        quality = response.headers.get("X-Darkroom-Quality")
        unmet = response.headers.get("X-Darkroom-Quality-Target") == "unmet"
    return body, (time.perf_counter() - start) * 1000, quality, unmet


def measure(names, formats, variants, work):
    """Per format and variant: a list of per-image rows (bytes, ms first, ms repeat, judge, ssim, quality)."""
    rows = {(f, v): [] for f in formats for v in variants}
    for name in names:
        try:
            reference_png, _, _, _ = fetch(f"{FIT}/f:png/plain/local:///{name}")
        except urllib.error.HTTPError as error:
            print(f"skipped {name}: {error}")
            continue
        reference_path = os.path.join(work, "reference.png")
        # Both sides are judged flattened on white, as JPEG output is.
        reference = flattened(Image.open(io.BytesIO(reference_png)))
        reference.save(reference_path)
        detail = gradient_energy(reference)
        for fmt in formats:
            for variant in variants:
                url = f"{FIT}/{variant}/f:{fmt}/plain/local:///{name}"
                body, first, quality, unmet = fetch(url)
                repeat = min(fetch(url)[1] for _ in range(2))
                candidate = flattened(Image.open(io.BytesIO(body)))
                candidate_path = os.path.join(work, "candidate.png")
                candidate.save(candidate_path)
                judge = compute_ssimulacra2(reference_path, candidate_path)
                rows[(fmt, variant)].append(dict(name=name, bytes=len(body), first=first, repeat=repeat, judge=judge,
                                                 ssim=ssim(reference, candidate), quality=quality, unmet=unmet,
                                                 detail=detail))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", default=os.path.join(ROOT, ".build/release/darkroom"))
    parser.add_argument("--work", default=os.path.join(ROOT, ".bench"))
    parser.add_argument("--variants", default="q:80,q:auto", help="comma-separated options compared; the first is the baseline")
    parser.add_argument("--formats", default="jpg,webp")
    parser.add_argument("--limit", type=int, default=0, help="only the first N images (0: all)")
    parser.add_argument("--per-image", action="store_true")
    args = parser.parse_args()

    root = tempfile.mkdtemp(prefix="darkroom-aq-")
    names = []
    corpus = [os.path.join(CORPUS, pick) for pick in CORPUS_PICKS if os.path.exists(os.path.join(CORPUS, pick))]
    fixtures = sorted(glob.glob(os.path.join(FIXTURES, "*.jpg"))) if not corpus else []
    for path in fetch_photos(args.work) + fixtures + corpus:
        name = os.path.relpath(path, os.path.dirname(os.path.dirname(path))).replace("/", "-")
        # Copied: the local source refuses links that lead out of its root.
        shutil.copyfile(path, os.path.join(root, name))
        names.append(name)
    if args.limit:
        names = names[:args.limit]
    variants = args.variants.split(",")
    formats = args.formats.split(",")
    proc = subprocess.Popen([args.darkroom, "serve", "--port", str(PORT), "--local-root", root, "--jobs", "2",
                             "--cache-size", "0", "--no-worker", "--log-level", "warning",
                             "--queue", f"sqlite:{root}/queue.db", "--storage", f"file:{root}/store"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server.wait_ready(f"http://127.0.0.1:{PORT}/health")
        rows = measure(names, formats, variants, root)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    print(f"\n### Automatic quality against fixed q80 ({len(names)} photos fitted in 800x800; "
          f"judge: SSIMULACRA2 and SSIM against the lossless render)\n")
    print("| format | options | bytes | vs q80 | SSIMULACRA2 median | worst | below q80's median | SSIM median | worst "
          "| ms first | ms repeat | vs q80 (first) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for fmt in formats:
        base = rows[(fmt, variants[0])]
        bar = statistics.median(r["judge"] for r in base)
        base_bytes = sum(r["bytes"] for r in base)
        base_ms = statistics.mean(r["repeat"] for r in base)
        for variant in variants:
            data = rows[(fmt, variant)]
            total = sum(r["bytes"] for r in data)
            judges = [r["judge"] for r in data]
            below = sum(1 for j in judges if j < bar)
            first = statistics.mean(r["first"] for r in data)
            repeat = statistics.mean(r["repeat"] for r in data)
            print(f"| {fmt} | `{variant}` | {total:,} | {total / base_bytes:.2f} | {statistics.median(judges):.1f} | "
                  f"{min(judges):.1f} | {below} | {statistics.median(r['ssim'] for r in data):.4f} | "
                  f"{min(r['ssim'] for r in data):.4f} | {first:.0f} | {repeat:.0f} | {first / base_ms:.2f} |")
        if args.per_image:
            for variant in variants[1:]:
                for r, b in zip(rows[(fmt, variant)], base):
                    print(f"  {fmt} {variant} {r['name'][:28]:28} q{r['quality']} {r['bytes']:>8} ({r['bytes'] / b['bytes']:.2f}) "
                          f"judge {r['judge']:.1f} (q80 {b['judge']:.1f}) ssim {r['ssim']:.4f}{' UNMET' if r['unmet'] else ''}")
    print("\n### Would the picture's busyness predict the quality? (a first guess from complexity)\n")
    print("| format | options | images | r (ln gradient energy, chosen q) | spread around a fitted line | around the median |")
    print("|---|---|---:|---:|---:|---:|")
    for fmt in formats:
        for variant in variants[1:]:
            fit = complexity_fit(rows[(fmt, variant)])
            if fit:
                print(f"| {fmt} | `{variant}` | {fit[0]} | {fit[1]:.2f} | ±{fit[2]:.1f} | ±{fit[3]:.1f} |")
    print(f"\nbar: the baseline's median SSIMULACRA2 per format; `vs q80 (first)`: mean time of a first request "
          f"over the mean time of a fixed-quality request")


if __name__ == "__main__":
    main()
