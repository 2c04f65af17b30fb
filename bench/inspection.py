#!/usr/bin/env python3
"""Visual inspection against a golden reference, measured on a synthetic but realistic set.

References: four textured photos (the thumbnail benchmark's Debian wallpapers: a bridge, a
dragonfly, an analogue pattern, wine glasses), each cut to 1632 x 1224 (2 megapixels) from a slightly
larger frame. Samples: the same frame turned by up to 3 degrees and shifted by up to 8 pixels
before the same cut (so the part moves under the camera and new content enters at the edges),
with a brightness gain of 0.85-1.15 and an offset of -15..15, sensor noise (sigma 2) and JPEG
q92. Half the samples carry one or two planted defects of known boxes: a scratch (a line 2-3
pixels wide, 60-200 long), a spot (a disc of radius 6-16) or a missing patch (a 30-80 pixel
rectangle filled with a flat grey), each dark where the part is light and light where it is dark.

Reported: the share of planted defects found (a reported box with IoU >= 0.3 against the
planted one), the share of clean samples flagged (any defect, or unaligned), and the time per
image of `darkroom inspect` on one pixel thread (all images minus one image, over the rest).
Targets: >= 95% found, <= 5% of clean samples flagged, under 100 ms per 2 MP image.
"""
import argparse, json, math, os, random, subprocess, sys, tempfile, time

import pyvips

sys.path.insert(0, os.path.dirname(__file__))
import thumbnails
from faces import iou  # boxes as (x, y, width, height), the same measure for both benches

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTH, HEIGHT, MARGIN = 1632, 1224, 120
PHOTOS = ["Bridge_by_Sander_Klootwijk.jpg", "Dragonfly_by_Bolly.jpg", "analogpattern_by_Peter_Nerlich.jpg",
          "Wine_by_Jakkub_Mede.jpg"]
SAMPLES = 24


def frame(path):
    """The photo resized to cover the frame plus its margin, cut to that."""
    image = pyvips.Image.new_from_file(path)
    scale = max((WIDTH + 2 * MARGIN) / image.width, (HEIGHT + 2 * MARGIN) / image.height)
    image = image.resize(scale)
    return image.crop((image.width - WIDTH - 2 * MARGIN) // 2, (image.height - HEIGHT - 2 * MARGIN) // 2,
                      WIDTH + 2 * MARGIN, HEIGHT + 2 * MARGIN)


def cut(image):
    return image.crop(MARGIN, MARGIN, WIDTH, HEIGHT)


def plant(image, rng):
    """Draws one defect that stands out from the part where it lands (dark on light, light on
    dark: a grey patch on a grey sky is no defect anyone could see); returns the image and its
    box (x, y, w, h)."""
    kind = rng.choice(["scratch", "spot", "patch"])
    x, y = rng.randint(150, WIDTH - 250), rng.randint(150, HEIGHT - 250)
    local = image.crop(max(0, x - 60), max(0, y - 60), 180, 180).colourspace("b-w").avg()
    shade = 20 if local > 128 else 235
    if kind == "scratch":
        length, angle, width = rng.randint(60, 200), rng.uniform(0, math.pi), rng.randint(2, 3)
        x2, y2 = int(x + length * math.cos(angle)), int(y + length * math.sin(angle))
        for offset in range(width):
            image = image.draw_line([shade] * image.bands, x + offset, y, x2 + offset, y2)
        box = (min(x, x2), min(y, y2), abs(x2 - x) + width, abs(y2 - y) + 1)
    elif kind == "spot":
        radius = rng.randint(6, 16)
        image = image.draw_circle([shade] * image.bands, x, y, radius, fill=True)
        box = (x - radius, y - radius, 2 * radius + 1, 2 * radius + 1)
    else:
        w, h = rng.randint(30, 80), rng.randint(30, 80)
        image = image.draw_rect([40 if local > 128 else 215] * image.bands, x, y, w, h, fill=True)
        box = (x, y, w, h)
    return image, box


def make_set(work, photos, rng):
    cases = []
    for index, path in enumerate(photos):
        base = frame(path).colourspace("srgb")[:3]
        reference = os.path.join(work, f"ref{index}.jpg")
        cut(base).write_to_file(reference, Q=95)
        samples = []
        for number in range(SAMPLES):
            angle, dx, dy = rng.uniform(-3, 3), rng.uniform(-8, 8), rng.uniform(-8, 8)
            moved = base.similarity(angle=angle, odx=dx, ody=dy, background=[0, 0, 0])
            # similarity keeps the size of the rotated bounding box: cut the frame's centre.
            moved = moved.crop((moved.width - base.width) // 2, (moved.height - base.height) // 2, base.width, base.height)
            sample = cut(moved).linear(rng.uniform(0.85, 1.15), rng.uniform(-15, 15)).cast("uchar").copy_memory()
            boxes = []
            if number % 2 == 1:
                for _ in range(rng.choice([1, 2])):
                    sample, box = plant(sample, rng)
                    boxes.append(box)
            noise = pyvips.Image.gaussnoise(WIDTH, HEIGHT, sigma=2, mean=0)
            sample = (sample + noise).cast("uchar")
            target = os.path.join(work, f"ref{index}-{number:02}.jpg")
            sample.write_to_file(target, Q=92)
            samples.append((target, boxes))
        cases.append((reference, samples))
    return cases


def inspect(darkroom, reference, paths):
    out = subprocess.run([darkroom, "inspect", "--reference", reference, "-j", "1", *paths], capture_output=True, text=True)
    if out.returncode not in (0, 3):
        raise RuntimeError(out.stderr)
    return {entry["file"]: entry for entry in map(json.loads, out.stdout.splitlines())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", default=os.path.join(ROOT, ".build/release/darkroom"))
    parser.add_argument("--work", default=os.path.join(ROOT, ".bench"))
    args = parser.parse_args()
    available = {os.path.basename(p): p for p in thumbnails.fetch_photos(args.work)}
    photos = [available[name] for name in PHOTOS if name in available]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as work:
        cases = make_set(work, photos, rng)
        planted = found = clean = flagged = unaligned = 0
        seconds = []
        for reference, samples in cases:
            start = time.perf_counter()
            results = inspect(args.darkroom, reference, [p for p, _ in samples])
            every = time.perf_counter() - start
            start = time.perf_counter()
            inspect(args.darkroom, reference, [samples[0][0]])
            one = time.perf_counter() - start
            seconds.append((every - one) / (len(samples) - 1))
            for path, boxes in samples:
                result = results[path]
                reported = [(d["box"]["x"], d["box"]["y"], d["box"]["width"], d["box"]["height"]) for d in result["defects"]]
                unaligned += result["status"] == "unaligned"
                if boxes:
                    planted += len(boxes)
                    found += sum(1 for b in boxes if any(iou(b, r) >= 0.3 for r in reported))
                else:
                    clean += 1
                    flagged += result["status"] != "pass"
        images = sum(len(s) for _, s in cases)
        print(f"\n## Inspection against a golden reference ({len(cases)} references, {images} samples of 2 MP)\n")
        print("| Planted defects found (IoU >= 0.3) | Clean samples flagged | Unaligned | ms per 2 MP image (1 thread) |")
        print("|---|---|---|---|")
        print(f"| {found / planted:.1%} ({found}/{planted}) | {flagged / clean:.1%} ({flagged}/{clean}) | {unaligned} | "
              f"{1000 * sum(seconds) / len(seconds):.1f} |")


if __name__ == "__main__":
    main()
