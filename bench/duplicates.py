#!/usr/bin/env python3
"""Duplicate detection, measured: `darkroom dedupe` against ImageHash's pHash and imagededup's
PHash on one labelled set.

The set: the test photos (Sources/TestSupport/Fixtures/natural) and the bench's wallpaper
photos, each fitted in 1600×1600 as the original, plus twelve edited copies of each, made with
libvips (pyvips):
  benign  resize 50%, JPEG q30, crop 80–90% (off centre), brightness and contrast, greyscale,
          blur, a 5% white border, a caption (a dark band with white text), a 3° turn cropped
  hard    mirror, a 10° turn cropped to 75%, a crop of half the width and half the height
          (a quarter of the area, off centre)
Every copy is a duplicate of its original and of the other copies of the same photo; every pair
of images from two different photos is a different pair.

Per variant, recall is the share of photos whose original and copy were paired; a false match
is a reported pair of two different photos. Thresholds are each tool's default: darkroom's own,
and a Hamming distance of 10 of 64 bits for both pHashes (imagededup's default; ImageHash has
none, so it gets the same).
"""
import argparse
import glob
import itertools
import json
import os
import random
import subprocess
import sys
import time
import types

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from thumbnails import fetch_photos  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENIGN = ["resize", "q30", "crop85", "bright", "grey", "blur", "border", "caption", "rotate3"]
HARD = ["mirror", "rotate10", "crop50"]
PHASH_THRESHOLD = 10


def make_set(photos, folder):
    """Writes each photo's original and its twelve copies into `folder`; returns {path: (photo, variant)}."""
    import pyvips
    labels = {}
    os.makedirs(folder, exist_ok=True)
    for number, path in enumerate(photos):
        name = f"p{number:02d}"
        rng = random.Random(number)
        # In memory: every copy reads it again, in any order.
        image = pyvips.Image.thumbnail(path, 1600, height=1600, size="down").copy_memory()
        if image.hasalpha():
            image = image.flatten(background=[255, 255, 255])
        if image.bands == 1:
            image = image.colourspace("srgb")
        w, h = image.width, image.height

        def crop(img, fraction):
            cw, ch = int(img.width * fraction), int(img.height * fraction)
            left = rng.randint(0, img.width - cw)
            top = rng.randint(0, img.height - ch)
            return img.crop(left, top, cw, ch)

        def centre(img, fraction):
            cw, ch = int(img.width * fraction), int(img.height * fraction)
            return img.crop((img.width - cw) // 2, (img.height - ch) // 2, cw, ch)

        def caption(img):
            band_height = img.height // 8
            band = pyvips.Image.black(img.width, band_height, bands=3) + 20
            text = pyvips.Image.text("Darkroom · for sale · call now", dpi=max(72, img.width // 8), font="sans bold")
            text = text.embed((img.width - text.width) // 2 if text.width < img.width else 0,
                              max(0, (band_height - text.height) // 2), img.width, band_height)
            band = (text > 128).ifthenelse([240, 240, 240], band)
            return img.insert(band.cast(img.format), 0, img.height - band_height)

        border = max(4, w // 20)
        variants = {
            "original": image,
            "resize": image.resize(0.5),
            "q30": pyvips.Image.new_from_buffer(image.jpegsave_buffer(Q=30), ""),
            "crop85": crop(image, rng.uniform(0.80, 0.90)),
            "bright": (image * 1.15 + 20).cast("uchar"),
            "grey": image.colourspace("b-w"),
            "blur": image.gaussblur(1.5),
            "border": image.embed(border, border, w + 2 * border, h + 2 * border, extend="background",
                                  background=[255] * image.bands),
            "caption": caption(image),
            "rotate3": centre(image.rotate(3), 0.9),
            "mirror": image.fliphor(),
            "rotate10": centre(image.rotate(10), 0.75),
            "crop50": crop(image, 0.5),
        }
        for variant, img in variants.items():
            out = os.path.join(folder, f"{name}_{variant}.jpg")
            img.jpegsave(out, Q=90)
            labels[out] = (name, variant)
    return labels


def darkroom_pairs(binary, folder, match):
    start = time.perf_counter()
    result = subprocess.run([binary, "dedupe", folder, "--match", match, "--format", "json"],
                            check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    report = json.loads(result.stdout)
    return {frozenset((p["a"], p["b"])) for p in report["pairs"]}, elapsed


def hash_pairs(hashes):
    """Pairs within the pHash threshold, from {path: 64-bit int}."""
    pairs = set()
    for (a, ha), (b, hb) in itertools.combinations(hashes.items(), 2):
        if bin(ha ^ hb).count("1") <= PHASH_THRESHOLD:
            pairs.add(frozenset((a, b)))
    return pairs


def imagehash_pairs(paths):
    import imagehash
    from PIL import Image
    start = time.perf_counter()
    hashes = {}
    for path in paths:
        with Image.open(path) as im:
            hashes[path] = int(str(imagehash.phash(im)), 16)
    return hash_pairs(hashes), time.perf_counter() - start


def imagededup_pairs(folder):
    # imagededup's package imports its CNN, plotting and model modules (torch, torchvision,
    # matplotlib) on import; its hashing methods use none of them. Empty stand-ins for those
    # three modules let the hashing load without a 2 GB torch install.
    for module, names in [("imagededup.methods.cnn", ["CNN"]), ("imagededup.utils.plotter", ["plot_duplicates"]),
                          ("imagededup.utils.models", ["CustomModel"])]:
        stub = types.ModuleType(module)
        for name in names:
            setattr(stub, name, None)
        sys.modules[module] = stub
    from imagededup.methods import PHash
    start = time.perf_counter()
    found = PHash(verbose=False).find_duplicates(image_dir=folder, max_distance_threshold=PHASH_THRESHOLD,
                                                 scores=False)
    elapsed = time.perf_counter() - start
    pairs = {frozenset((os.path.join(folder, a), os.path.join(folder, b))) for a, dups in found.items() for b in dups}
    return pairs, elapsed


def score(pairs, labels):
    """Per variant: (found, photos) for original↔variant; and the false pairs overall."""
    by_photo_variant = {(photo, variant): path for path, (photo, variant) in labels.items()}
    photos = sorted({photo for photo, _ in labels.values()})
    recall = {}
    for variant in BENIGN + HARD:
        found = sum(1 for photo in photos
                    if frozenset((by_photo_variant[(photo, "original")], by_photo_variant[(photo, variant)])) in pairs)
        recall[variant] = (found, len(photos))
    false = [pair for pair in pairs if len({labels[p][0] for p in pair if p in labels}) > 1]
    true = len(pairs) - len(false)
    return recall, false, true


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", default=os.path.join(ROOT, ".build/release/darkroom"))
    parser.add_argument("--work", default=os.path.join(ROOT, ".bench"))
    args = parser.parse_args()
    photos = sorted(glob.glob(os.path.join(ROOT, "Sources/TestSupport/Fixtures/natural/*.jpg"))) + fetch_photos(args.work)
    folder = os.path.join(args.work, "duplicates")
    for old in glob.glob(os.path.join(folder, "*.jpg")):
        os.remove(old)
    labels = make_set(photos, folder)
    paths = sorted(labels)

    results = {}
    results["darkroom near"] = darkroom_pairs(args.darkroom, folder, "near")
    results["darkroom transformed"] = darkroom_pairs(args.darkroom, folder, "transformed")
    results["ImageHash pHash"] = imagehash_pairs(paths)
    results["imagededup PHash"] = imagededup_pairs(folder)

    different = sum(1 for a, b in itertools.combinations(paths, 2) if labels[a][0] != labels[b][0])
    print(f"\nDuplicate detection: {len(photos)} photos × 13 (original + 12 copies) = {len(paths)} images, "
          f"{different:,} different pairs; recall per variant (original ↔ copy found)\n")
    tools = list(results)
    print("| variant | kind | " + " | ".join(tools) + " |")
    print("|---|---|" + "---|" * len(tools))
    scored = {tool: score(pairs, labels) for tool, (pairs, _) in results.items()}
    for variant in BENIGN + HARD:
        cells = []
        for tool in tools:
            found, total = scored[tool][0][variant]
            cells.append(f"{100 * found / total:.0f}%")
        print(f"| {variant} | {'hard' if variant in HARD else 'benign'} | " + " | ".join(cells) + " |")
    for kind, variants in (("benign", BENIGN), ("hard", HARD)):
        cells = []
        for tool in tools:
            found = sum(scored[tool][0][v][0] for v in variants)
            total = sum(scored[tool][0][v][1] for v in variants)
            cells.append(f"**{100 * found / total:.1f}%**")
        print(f"| all {kind} | {kind} | " + " | ".join(cells) + " |")
    print("| false matches | | " + " | ".join(str(len(scored[t][1])) for t in tools) + " |")
    print("| precision | | " + " | ".join(
        f"{100 * scored[t][2] / max(1, scored[t][2] + len(scored[t][1])):.1f}%" for t in tools) + " |")
    print("| seconds | | " + " | ".join(f"{results[t][1]:.1f}" for t in tools) + " |")
    for tool in tools:
        for pair in sorted(sorted(p) for p in scored[tool][1])[:5]:
            print(f"  {tool}: false match {os.path.basename(pair[0])} ↔ {os.path.basename(pair[1])}")


if __name__ == "__main__":
    main()
