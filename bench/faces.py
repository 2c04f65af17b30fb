#!/usr/bin/env python3
"""Face detection, measured: recall at IoU >= 0.5 and false detections per image for each of
Darkroom's detectors (CenterFace, MTCNN, Haar) on the hand-annotated fixtures, the time per image
at 640 px, and what a face-aware fill URL costs beside the same fill with smart gravity.

The labelled set is the test fixtures with faces (Sources/TestSupport/Fixtures/faces/labels.tsv:
scikit-image's astronaut and camera man, matplotlib's Grace Hopper, Pillow's hopper, Go's video
frame with two 15-pixel faces), their mirror images, and a group picture made by pasting the four
portraits at 60-200 pixels onto one canvas; the negatives are the fixtures without a human face
(a cat, a coffee cup, a rocket, a toy gopher, a rose, Tux, PngSuite's test patterns).

The fill timing runs `darkroom serve` with its cache off on a 3000 x 3000 JPEG portrait (the
astronaut, enlarged) and compares `rs:fill:400:200/g:face` with `rs:fill:400:200/g:sm`, requests
one at a time, rounds interleaved, medians.
"""
import argparse, glob, json, os, statistics, subprocess, tempfile, time, urllib.request

import pyvips

import server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Sources/TestSupport/Fixtures")
MODELS = os.path.join(ROOT, ".models/faces")
NEGATIVES = ["natural/chelsea.jpg", "natural/coffee.jpg", "natural/rocket.jpg", "jpeg/video-005.gray.jpeg",
             "webp_tiff/yellow_rose.lossy.webp", "webp_tiff/tux.lossless.webp", "webp_tiff/blue-purple-pink.lossy.webp",
             "webp_tiff/gopher-doc.8bpp.lossless.webp"] + sorted(
    os.path.relpath(p, FIXTURES) for p in glob.glob(os.path.join(FIXTURES, "pngsuite/basn*.png")))[:8]


def labels():
    faces = {}
    for line in open(os.path.join(FIXTURES, "faces/labels.tsv")).read().splitlines()[1:]:
        if line.startswith("#"):
            continue
        name, x, y, w, h = line.split("\t")
        faces.setdefault(name, []).append((float(x), float(y), float(w), float(h)))
    return faces


def labelled_set(work):
    """(path, [boxes]) for the originals, their mirrors and the group picture; then the negatives."""
    cases = []
    for name, boxes in labels().items():
        path = os.path.join(FIXTURES, name)
        cases.append((path, boxes))
        image = pyvips.Image.new_from_file(path).autorot()
        mirror = os.path.join(work, "mirror-" + os.path.basename(name) + ".png")
        image.fliphor().write_to_file(mirror)
        cases.append((mirror, [(image.width - x - w, y, w, h) for x, y, w, h in boxes]))
    canvas = pyvips.Image.black(1600, 900).new_from_image([200, 200, 190]).cast("uchar")
    group = []
    for (name, height, left, top) in [("faces/astronaut.jpg", 300, 40, 80), ("natural/grace_hopper.jpg", 500, 420, 300),
                                      ("natural/camera.jpg", 260, 980, 60), ("formats/hopper.jpg", 200, 1300, 500)]:
        image = pyvips.Image.new_from_file(os.path.join(FIXTURES, name)).colourspace("srgb")
        scale = height / image.height
        image = image.resize(scale)
        canvas = canvas.insert(image[:3], left, top)
        group += [(left + x * scale, top + y * scale, w * scale, h * scale) for x, y, w, h in labels()[name]]
    path = os.path.join(work, "group.jpg")
    canvas.write_to_file(path, Q=90)
    cases.append((path, group))
    return cases, [os.path.join(FIXTURES, n) for n in NEGATIVES]


def iou(a, b):
    w = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    h = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def detect(darkroom, kind, paths, size=640):
    out = subprocess.run([darkroom, "faces", "--face-detector", kind, "--face-models", MODELS, "-j", "1", "--size", str(size), *paths],
                         capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        entry = json.loads(line)
        found[entry["file"]] = [(f["box"]["x"], f["box"]["y"], f["box"]["width"], f["box"]["height"]) for f in entry["faces"]]
    return found


def accuracy(darkroom, kind, cases, negatives, size=640):
    found = detect(darkroom, kind, [p for p, _ in cases] + negatives, size)
    hits = total = false = 0
    for path, boxes in cases:
        total += len(boxes)
        hits += sum(1 for b in boxes if any(iou(b, f) >= 0.5 for f in found[path]))
        false += sum(1 for f in found[path] if not any(iou(b, f) >= 0.5 for b in boxes))
    false += sum(len(found[p]) for p in negatives)
    return hits, total, false, len(cases) + len(negatives)


def time_per_image(darkroom, kind, work, cases, copies=8, size=640):
    """Seconds per 640-pixel image on one pixel thread, looking at `size` pixels: N images minus
    one image, over N - 1."""
    sized = []
    for index, (path, _) in enumerate(cases):
        image = pyvips.Image.thumbnail(path, 640, height=640)
        target = os.path.join(work, f"640-{index}.jpg")
        image.write_to_file(target, Q=90)
        sized.append(target)
    many = sized * copies

    def run(paths):
        start = time.perf_counter()
        detect(darkroom, kind, paths, size)
        return time.perf_counter() - start
    one = min(run(sized[:1]) for _ in range(3))
    all_ = min(run(many) for _ in range(2))
    return (all_ - one) / (len(many) - 1)


def fill_timing(darkroom, work, rounds=15):
    root = os.path.join(work, "serve")
    os.makedirs(root, exist_ok=True)
    portrait = pyvips.Image.new_from_file(os.path.join(FIXTURES, "faces/astronaut.jpg")).resize(3000 / 512)
    portrait.write_to_file(os.path.join(root, "portrait.jpg"), Q=90)
    proc = subprocess.Popen([darkroom, "serve", "--port", "18182", "--local-root", root, "--jobs", "2", "--cache-size", "0",
                             "--no-worker", "--log-level", "warning", "--face-models", MODELS,
                             "--queue", f"sqlite:{root}/queue.db", "--storage", f"file:{root}/store"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server.wait_ready("http://127.0.0.1:18182/health")
        times = {"g:face": [], "g:sm": [], "g:ce": []}
        for _ in range(rounds):
            for gravity in times:
                url = f"http://127.0.0.1:18182/unsafe/rs:fill:400:200/{gravity}/plain/local:///portrait.jpg"
                start = time.perf_counter()
                urllib.request.urlopen(url, timeout=60).read()
                times[gravity].append((time.perf_counter() - start) * 1000)
        return {k: statistics.median(v[2:]) for k, v in times.items()}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", default=os.path.join(ROOT, ".build/release/darkroom"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        cases, negatives = labelled_set(work)
        faces = sum(len(b) for _, b in cases)
        print(f"\n## Face detection ({faces} faces in {len(cases)} images, {len(negatives)} images without faces)\n")
        print("| Detector | Looks at | Recall at IoU 0.5 | False detections per image | ms per 640 px image (1 thread) |")
        print("|---|---|---|---|---|")
        # 640 pixels finds every face (blur, dd, the faces feature); 192 is what g:obj:face frames on.
        for kind, size in [("centerface", 640), ("mtcnn", 640), ("haar", 640), ("centerface", 192)]:
            hits, total, false, images = accuracy(args.darkroom, kind, cases, negatives, size)
            ms = time_per_image(args.darkroom, kind, work, cases, size=size) * 1000
            print(f"| {kind} | {size} px | {hits / total:.2f} ({hits}/{total}) | {false / images:.2f} ({false}/{images}) | {ms:.1f} |")
        fills = fill_timing(args.darkroom, work)
        print("\n| Fill 400x200 of a 3000x3000 JPEG, uncached | median ms | vs g:sm |")
        print("|---|---|---|")
        for gravity, ms in fills.items():
            print(f"| {gravity} | {ms:.1f} | {ms / fills['g:sm']:.2f}x |")


if __name__ == "__main__":
    main()
