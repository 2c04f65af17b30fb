#!/usr/bin/env python3
"""DICOM to a windowed JPEG preview, in images per second: `darkroom process` against pydicom +
NumPy + Pillow doing the same (read, rescale, window, 8 bits, JPEG at quality 80), each on every
core (darkroom's pixel pool; a process pool of the same size for Python), same files, same run.

Inputs are made here with pydicom from the CT test fixture (CT_small.dcm, 128 x 128, signed
16-bit with a rescale): a 512 x 512 CT slice (the pixels enlarged, the header kept) native and
RLE-compressed, and a 3328 x 4096 16-bit image, the size of a digital mammogram.
"""
import argparse, multiprocessing, os, shutil, subprocess, tempfile, time

import numpy as np
import pydicom
from PIL import Image
from pydicom.pixels import apply_modality_lut
from pydicom.uid import RLELossless

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "Sources/TestSupport/Fixtures/dicom/CT_small.dcm")
CENTRE, WIDTH = 40.0, 400.0


def make(path, width, height, rle=False):
    ds = pydicom.dcmread(SOURCE)
    pixels = ds.pixel_array
    tiled = np.tile(pixels, (height // pixels.shape[0] + 1, width // pixels.shape[1] + 1))[:height, :width]
    noise = np.random.default_rng(1).integers(-20, 20, size=tiled.shape)
    ds.Rows, ds.Columns = height, width
    ds.PixelData = (tiled + noise).astype(np.int16).tobytes()
    if rle:
        ds.compress(RLELossless)
    ds.save_as(path)


def pydicom_preview(job):
    source, target = job
    ds = pydicom.dcmread(source)
    modality = apply_modality_lut(ds.pixel_array, ds).astype(np.float64)
    level = np.clip((modality - (CENTRE - 0.5)) / (WIDTH - 1) + 0.5, 0, 1) * 255
    # optimize=True: the Huffman tables darkroom writes by default (same quality, smaller file).
    Image.fromarray(np.round(level).astype(np.uint8)).save(target, quality=80, optimize=True)


def timed(function, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--work", default=".bench")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    root = tempfile.mkdtemp(dir=args.work)
    print(f"\n## DICOM to a windowed JPEG preview (q80, window {CENTRE:g}/{WIDTH:g}), {cores} cores, best of 3\n")
    print("| input | images | darkroom img/s | pydicom + Pillow img/s | ratio |")
    print("|---|---|---|---|---|")
    for name, width, height, rle, count in [("CT 512 x 512, native", 512, 512, False, 200),
                                            ("CT 512 x 512, RLE", 512, 512, True, 200),
                                            ("3328 x 4096, 16-bit native", 3328, 4096, False, 12)]:
        folder = os.path.join(root, name.split(",")[0].replace(" ", "") + ("rle" if rle else ""))
        os.makedirs(folder + "/in")
        make(folder + "/in/0.dcm", width, height, rle)
        for index in range(1, count):
            shutil.copy(folder + "/in/0.dcm", f"{folder}/in/{index}.dcm")
        out = folder + "/darkroom"

        def darkroom():
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([args.darkroom, "process", "--recipe", f"dw:{CENTRE:g}:{WIDTH:g}/f:jpg/q:80", "--output", out,
                            folder + "/in"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        jobs = [(f"{folder}/in/{index}.dcm", f"{folder}/py-{index}.jpg") for index in range(count)]
        with multiprocessing.Pool(cores) as pool:
            python = timed(lambda: pool.map(pydicom_preview, jobs, chunksize=4))
        ours = timed(darkroom)
        print(f"| {name} | {count} | {count / ours:.1f} | {count / python:.1f} | {python / ours:.2f}x |")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
