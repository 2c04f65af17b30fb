"""The reference the Media tests compare Darkroom's DICOM rendering with: pydicom decodes,
NumPy applies the same rescale and window (PS3.3 C.11.2.1.2.1, linear) and rounds.

    python pydicom_reference.py CASES.json OUT_DIR

Each case: {"name", "file", "frame", "window": "file" | "none" | [centre, width], "bits": 8 | 16,
"photometric" and "write": an override (MONOCHROME1, to test inversion) and where the changed
file is written for Darkroom to read}. Writes OUT_DIR/<name>.raw
(uint8 or little-endian uint16, row by row, bands interleaved) and prints one JSON line per
case with its shape, or its error.
"""
import json
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.pixels import apply_color_lut, apply_modality_lut, apply_voi_lut
from pydicom.sequence import Sequence


def window_of(ds, modality):
    centre, width = ds.get("WindowCenter"), ds.get("WindowWidth")
    if centre is not None and width is not None:
        first = lambda value: float(value[0] if isinstance(value, pydicom.multival.MultiValue) else value)
        return first(centre), first(width)
    low, high = float(modality.min()), float(modality.max())
    width = max(high - low + 1, 2)
    return low + (width - 1) / 2 + 0.5, width


def windowed(x, centre, width):
    if width <= 1:
        return (x >= centre - 0.5).astype(np.float64)
    y = (x - (centre - 0.5)) / (width - 1) + 0.5
    return np.clip(y, 0, 1)


def render(case):
    ds = pydicom.dcmread(case["file"])
    if "photometric" in case:
        ds.PhotometricInterpretation = case["photometric"]
        ds.save_as(case["write"])
    if "voi_lut" in case:
        # A VOI LUT Sequence in place of the window: pydicom's apply_voi_lut is the reference.
        table = case["voi_lut"]
        item = Dataset()
        item.add_new(0x00283002, "US", [len(table["data"]), table["first"], table["bits"]])
        item.add_new(0x00283006, "US", table["data"])
        ds.VOILUTSequence = Sequence([item])
        for keyword in ("WindowCenter", "WindowWidth"):
            if keyword in ds:
                delattr(ds, keyword)
        ds.save_as(case["write"])
    pixels = ds.pixel_array
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if frames > 1:
        pixels = pixels[case.get("frame", 0)]
    top = (1 << case["bits"]) - 1
    if ds.PhotometricInterpretation == "PALETTE COLOR":
        # 8-bit output keeps the palette's 8 high bits.
        return (apply_color_lut(pixels, ds) >> 8).astype(np.uint8)
    if ds.SamplesPerPixel == 3:
        return pixels  # as stored: 8 or 16 bits, as Darkroom renders colour before the recipe converts it
    if case["window"] == "none":
        bits = int(ds.BitsStored)
        values = pixels.astype(np.int64) + ((1 << (bits - 1)) if ds.PixelRepresentation == 1 else 0)
        return np.round(values * top / ((1 << bits) - 1)).astype(np.uint16)
    if "voi_lut" in case:
        level = apply_voi_lut(apply_modality_lut(pixels, ds), ds).astype(np.float64) / ((1 << case["voi_lut"]["bits"]) - 1) * top
        return np.round(level).astype(np.uint8 if case["bits"] == 8 else np.uint16)
    modality = apply_modality_lut(pixels, ds).astype(np.float64)
    centre, width = window_of(ds, modality) if case["window"] == "file" else case["window"]
    level = windowed(modality, centre, width) * top
    if ds.PhotometricInterpretation == "MONOCHROME1":
        level = top - level
    return np.round(level).astype(np.uint8 if case["bits"] == 8 else np.uint16)


def main(cases_path, out_dir):
    for case in json.load(open(cases_path)):
        try:
            out = render(case)
        except Exception as error:  # reported to the Swift test, which fails on it
            print(json.dumps({"name": case["name"], "error": str(error)}))
            continue
        out.astype(out.dtype.newbyteorder("<")).tofile(f"{out_dir}/{case['name']}.raw")
        print(json.dumps({"name": case["name"], "shape": list(out.shape), "bits": 8 * out.dtype.itemsize}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
