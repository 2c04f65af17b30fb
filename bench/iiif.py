#!/usr/bin/env python3
"""Deep zoom through IIIF: random 512-px tiles at every level, from a 50 MP JPEG and from the
same image made into a pyramid with `darkroom pyramid`, served by one `darkroom serve`.

For each source and level it prints tiles/s and p99, cold (every tile new) and cached (the same
tiles again), and the pyramid's speed-up over the JPEG. Requests come 2 at a time (2 cores).
"""
import argparse, os, random, shutil, signal, socket, subprocess, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

import thumbnails

parser = argparse.ArgumentParser()
parser.add_argument("--darkroom", required=True)
parser.add_argument("--work", required=True)
parser.add_argument("--tiles", type=int, default=24, help="cold tiles per level and source")
args = parser.parse_args()

work = os.path.join(args.work, "iiif")
os.makedirs(work, exist_ok=True)
jpeg, pyramid = os.path.join(work, "big.jpg"), os.path.join(work, "big.tif")
if not os.path.exists(jpeg):
    # The largest wallpaper, scaled to 50 MP: a baseline JPEG, as scanners write them.
    photo = max(thumbnails.fetch_photos(args.work), key=os.path.getsize)
    with Image.open(photo) as im:
        scale = (50e6 / (im.width * im.height)) ** 0.5
        im.convert("RGB").resize((round(im.width * scale), round(im.height * scale)), Image.LANCZOS).save(jpeg, quality=90)
if not os.path.exists(pyramid):
    subprocess.run([args.darkroom, "pyramid", jpeg, pyramid], check=True, stdout=subprocess.DEVNULL)
with Image.open(jpeg) as im:
    width, height = im.size

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([args.darkroom, "serve", "--port", str(port), "--local-root", work, "--cache-size", str(1 << 30),
                           "--max-src-bytes", str(1 << 30), "--timeout", "120", "--log-level", "error"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except Exception:
            time.sleep(0.1)

    def fetch(url):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()
            assert response.status == 200
        return time.perf_counter() - start

    def run(urls):
        start = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            latencies = sorted(pool.map(fetch, urls))
        elapsed = time.perf_counter() - start
        return len(urls) / elapsed, latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000

    factors = [1]
    while max(width, height) > 512 * factors[-1]:
        factors.append(factors[-1] * 2)
    rng = random.Random(7)
    results = {}
    for factor in factors:
        span = 512 * factor
        columns, rows = -(-width // span), -(-height // span)
        cells = [(c, r) for c in range(columns) for r in range(rows)]
        picked = rng.sample(cells, min(args.tiles, len(cells)))
        for name in ("big.jpg", "big.tif"):
            urls = []
            for c, r in picked:
                x, y = c * span, r * span
                w, h = min(span, width - x), min(span, height - y)
                urls.append(f"http://127.0.0.1:{port}/iiif/3/{name}/{x},{y},{w},{h}/{-(-w // factor)},/0/default.jpg")
            cold = run(urls)
            cached = run(urls)
            results[(name, factor)] = (cold, cached)
finally:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)

print(f"\nIIIF deep zoom: {width}×{height} ({width * height / 1e6:.0f} MP) JPEG against its `darkroom pyramid` TIFF; "
      f"random 512-px tiles, 2 in flight\n")
print("| scale factor | tiles | JPEG cold tiles/s | p99 ms | pyramid cold tiles/s | p99 ms | pyramid ÷ JPEG "
      "| JPEG cached tiles/s | p99 ms | pyramid cached tiles/s | p99 ms |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for factor in factors:
    (jc, jh), (pc, ph) = results[("big.jpg", factor)], results[("big.tif", factor)]
    tiles = min(args.tiles, len([1 for c in range(-(-width // (512 * factor))) for r in range(-(-height // (512 * factor)))]))
    print(f"| {factor} | {tiles} | {jc[0]:.1f} | {jc[1]:.0f} | {pc[0]:.1f} | {pc[1]:.0f} | {pc[0] / jc[0]:.1f}× "
          f"| {jh[0]:.0f} | {jh[1]:.1f} | {ph[0]:.0f} | {ph[1]:.1f} |")
