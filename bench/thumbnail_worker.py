#!/usr/bin/env python3
"""One worker process of bench/thumbnails.py: makes thumbnails of the files it is given with
one library, the way a user of that library would write it, and exits.

Run under the Python that has the library (pyvips and OpenCV in .bench/venv, Pillow there too,
Pillow-SIMD in .bench/simd). Every library gets one thread, since the benchmark parallelises
across processes.

    thumbnail_worker.py TOOL JOBS SIZE QUALITY FORMAT OUT FILE...

JOBS > 1 runs a pool of that many processes, each taking the next file when it is free.
"""
import json
import os
import sys
import time


def name_for(path, out, fmt):
    return os.path.join(out, os.path.splitext(os.path.basename(path))[0] + "." + fmt)


def run_pyvips(files, size, quality, fmt, out):
    import pyvips
    pyvips.cache_set_max(0)  # as darkroom: no operation cache
    for path in files:
        image = pyvips.Image.thumbnail(path, size, height=size)
        if fmt == "jpg" and image.hasalpha():
            image = image.flatten(background=[255, 255, 255])
        if fmt == "jpg":
            image.jpegsave(name_for(path, out, fmt), Q=quality, optimize_coding=True, keep="none")
        else:
            image.webpsave(name_for(path, out, fmt), Q=quality, effort=4, keep="none")


def run_pillow(files, size, quality, fmt, out):
    from PIL import Image
    for path in files:
        with Image.open(path) as image:
            image.draft("RGB", (size, size))  # JPEG: DCT scaling, as libvips' shrink-on-load
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA" if "A" in image.mode or "transparency" in image.info else "RGB")
            image.thumbnail((size, size), Image.Resampling.LANCZOS)
            if fmt == "jpg" and image.mode == "RGBA":
                flat = Image.new("RGB", image.size, (255, 255, 255))
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            if fmt == "jpg":
                image.save(name_for(path, out, fmt), quality=quality, optimize=True)
            else:
                image.save(name_for(path, out, fmt), quality=quality, method=4)


def jpeg_size(path):
    """Width and height from a JPEG's SOF marker (OpenCV cannot read a header alone)."""
    with open(path, "rb") as fh:
        data = fh.read(1 << 16)
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    return None


def run_opencv(files, size, quality, fmt, out):
    import cv2
    import numpy as np
    cv2.setNumThreads(1)
    reduced = {2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}
    for path in files:
        flags = cv2.IMREAD_UNCHANGED
        dims = jpeg_size(path) if path.lower().endswith((".jpg", ".jpeg")) else None
        if dims:
            # Decode at the largest DCT reduction that still leaves at least the target size.
            factor = max(dims) / size
            flags = next((reduced[r] for r in (8, 4, 2) if r <= factor), cv2.IMREAD_COLOR)
        image = cv2.imread(path, flags)
        if image is None:
            raise SystemExit(f"opencv cannot read {path}")
        h, w = image.shape[:2]
        scale = min(size / w, size / h)
        image = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
        if image.ndim == 3 and image.shape[2] == 4 and fmt == "jpg":
            alpha = image[..., 3:4].astype(np.float32) / 255
            image = (image[..., :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
        if fmt == "jpg":
            cv2.imwrite(name_for(path, out, fmt), image, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
        else:
            cv2.imwrite(name_for(path, out, fmt), image, [cv2.IMWRITE_WEBP_QUALITY, quality])


def stages_pyvips(files, size, quality, fmt, out):
    """Seconds in decode with shrink-on-load plus resample (thumbnail, made to finish in
    memory), and in JPEG encoding, summed over the files."""
    import pyvips
    pyvips.cache_set_max(0)
    totals = {"decode+resample": 0.0, "encode": 0.0}
    for path in files:
        start = time.perf_counter()
        image = pyvips.Image.thumbnail(path, size, height=size).copy_memory()
        middle = time.perf_counter()
        image.jpegsave_buffer(Q=quality, optimize_coding=True, keep="none")
        totals["decode+resample"] += middle - start
        totals["encode"] += time.perf_counter() - middle
    print(json.dumps(totals))


def dct_scale(path, size):
    """The DCT scale Pillow's draft picks for a size×size box: the largest of 1/2, 1/4, 1/8
    that leaves both sides at least `size`."""
    width, height = jpeg_size(path)
    return max([1] + [s for s in (2, 4, 8) if min(width // s, height // s) >= size])


def decode_pyvips(files, size, quality, fmt, out):
    """Seconds libvips spends decoding each JPEG at Pillow's DCT scale, nothing else."""
    import pyvips
    pyvips.cache_set_max(0)
    total = 0.0
    for path in files:
        scale = dct_scale(path, size)
        start = time.perf_counter()
        pyvips.Image.new_from_file(path, shrink=scale, access="sequential").copy_memory()
        total += time.perf_counter() - start
    print(json.dumps({"decode at the same DCT scale": total}))


def decode_pillow(files, size, quality, fmt, out):
    """Seconds Pillow spends decoding each JPEG with draft at its DCT scale."""
    from PIL import Image
    total = 0.0
    for path in files:
        start = time.perf_counter()
        with Image.open(path) as image:
            image.draft("RGB", (size, size))
            image.load()
        total += time.perf_counter() - start
    print(json.dumps({"decode at the same DCT scale": total}))


def stages_pillow(files, size, quality, fmt, out):
    """Seconds in decode (with draft's DCT scaling), resample and JPEG encoding."""
    import io
    from PIL import Image
    totals = {"decode": 0.0, "resample": 0.0, "encode": 0.0}
    for path in files:
        start = time.perf_counter()
        with Image.open(path) as image:
            image.draft("RGB", (size, size))
            image.load()
            decoded = time.perf_counter()
            image.thumbnail((size, size), Image.Resampling.LANCZOS)
            resampled = time.perf_counter()
            image.save(io.BytesIO(), format="JPEG", quality=quality, optimize=True)
        totals["decode"] += decoded - start
        totals["resample"] += resampled - decoded
        totals["encode"] += time.perf_counter() - resampled
    print(json.dumps(totals))


TOOLS = {"pyvips": run_pyvips, "pillow": run_pillow, "opencv": run_opencv,
         "pyvips-stages": stages_pyvips, "pillow-stages": stages_pillow,
         "pyvips-decode": decode_pyvips, "pillow-decode": decode_pillow}


def one_file(job):
    tool, size, quality, fmt, out, path = job
    TOOLS[tool]([path], size, quality, fmt, out)


def main():
    tool, jobs, size, quality, fmt, out, *files = sys.argv[1:]
    jobs, size, quality = int(jobs), int(size), int(quality)
    if jobs == 1:
        TOOLS[tool](files, size, quality, fmt, out)
        return
    # Several processes taking the next file as each finishes, as darkroom's threads do.
    from multiprocessing import Pool
    with Pool(jobs) as pool:
        for _ in pool.imap_unordered(one_file, [(tool, size, quality, fmt, out, f) for f in files], chunksize=1):
            pass


if __name__ == "__main__":
    main()
