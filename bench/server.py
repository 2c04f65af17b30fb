#!/usr/bin/env python3
"""Server benchmark: darkroom serve against thumbor 7 on one 12 MP JPEG, with bounded wrk runs on loopback.

Prints req/s, p50, p99 and peak RSS for: darkroom uncached (a unique cache buster per request),
darkroom cached, thumbor (2 processes, no result storage), and darkroom's own batch path on the
same image (the in-process rate, to show the HTTP overhead); plus the SSIM of each server's
output against a full-decode Lanczos reference.
"""
import argparse, glob, io, os, re, shutil, signal, subprocess, sys, tempfile, time, urllib.request

from PIL import Image
sys.path.insert(0, os.path.dirname(__file__))
import thumbnails

WIDTH, HEIGHT, QUALITY = 400, 300, 80
WRK_SCRIPT = """
-- Cycles through a fixed list of paths. With unique=1 each request fills the path's %s with
-- its wrk thread's id and its own number, so that no two requests share a cache key.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
init = function(args)
  counter = 0
  paths = {}
  for line in io.lines(args[1]) do table.insert(paths, line) end
  unique = args[2] == "1"
end
request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if unique then path = string.format(path, id .. "-" .. counter) end
  return wrk.format("GET", path)
end
"""

# Mixed workload: three sources x fit / fill / smart crop x JPEG / WebP / AVIF outputs.
MIXED = [
    ("photo.jpg", "fit", "jpg"), ("photo.jpg", "fill", "webp"), ("photo.jpg", "smart", "avif"),
    ("alpha.png", "fit", "webp"), ("alpha.png", "fill", "avif"), ("alpha.png", "smart", "jpg"),
    ("photo.webp", "fit", "avif"), ("photo.webp", "fill", "jpg"), ("photo.webp", "smart", "webp"),
]


def darkroom_path(source, op, fmt):
    options = {"fit": "rs:fit:400:300", "fill": "rs:fill:400:300", "smart": "rs:fill:300:300/g:sm"}[op]
    return f"/unsafe/{options}/q:{QUALITY}/cb:%s/plain/local:///{source}@{fmt}"


def thumbor_path(source, op, fmt):
    size = {"fit": "fit-in/400x300", "fill": "400x300", "smart": "300x300/smart"}[op]
    name = {"jpg": "jpeg"}.get(fmt, fmt)
    return f"/unsafe/{size}/filters:format({name}):quality({QUALITY})/{source}"


def wrk(base, paths, seconds, unique):
    """A bounded wrk run (2 threads, 8 connections) cycling through `paths` on `base`."""
    listing = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    listing.write("\n".join(paths) + "\n")
    listing.close()
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(WRK_SCRIPT)
    script.close()
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "--timeout", "30s", "-s", script.name,
                          base, "--", listing.name, "1" if unique else "0"],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    os.unlink(listing.name)
    os.unlink(script.name)
    return parse_wrk(out)


def parse_wrk(out):
    def latency(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "errors": int(errors.group(1)) if errors else 0}


def make_mixed_sources(source, root):
    """A PNG with alpha and a WebP made from the photo, at about 4 MP each."""
    with Image.open(source) as im:
        im = im.convert("RGB")
        im.thumbnail((2400, 2400), Image.Resampling.LANCZOS)
        im.save(os.path.join(root, "photo.webp"), quality=90)
        alpha = Image.linear_gradient("L").resize(im.size)
        rgba = im.copy()
        rgba.putalpha(alpha)
        rgba.save(os.path.join(root, "alpha.png"), compress_level=6)


def wait_ready(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} never answered")


def peak_rss_mb(pids):
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def ssim_of(url, source):
    data = urllib.request.urlopen(url, timeout=60).read()
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return thumbnails.ssim(im, thumbnails.reference(source, im.size)), im.size


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--thumbor", default=".bench/thumbor/bin/thumbor")
    parser.add_argument("--work", default=".bench")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    photos = thumbnails.fetch_photos(args.work)
    source = min(photos, key=lambda p: abs(Image.open(p).width * Image.open(p).height - 12e6))
    root = os.path.join(args.work, "server-images")
    os.makedirs(root, exist_ok=True)
    shutil.copy(source, os.path.join(root, "photo.jpg"))
    make_mixed_sources(source, root)
    with Image.open(source) as im:
        print(f"source: {os.path.basename(source)}, {im.width}x{im.height} ({im.width * im.height / 1e6:.1f} MP); "
              f"task: fit {WIDTH}x{HEIGHT}, JPEG q{QUALITY}; wrk: 2 threads, 8 connections, {args.seconds} s each")

    rows = []
    darkroom = subprocess.Popen([args.darkroom, "serve", "--port", "18181", "--local-root", root, "--jobs", "2",
                                 "--log-level", "warning", "--max-queue", "64"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready("http://127.0.0.1:18181/health")
        server = "http://127.0.0.1:18181"
        plain = f"/unsafe/rs:fit:{WIDTH}:{HEIGHT}/q:{QUALITY}/cb:%s/plain/local:///photo.jpg@jpg"
        quality, size = ssim_of(server + plain.replace("%s", "q"), os.path.join(root, "photo.jpg"))
        r = wrk(server, [plain], args.seconds, unique=True)
        rows.append(("darkroom uncached", r, peak_rss_mb([darkroom.pid]), quality))
        # One fixed cache buster: every request after the first is a cache hit.
        r = wrk(server, [plain.replace("%s", "fixed")], args.seconds, unique=False)
        rows.append(("darkroom cached", r, peak_rss_mb([darkroom.pid]), quality))
        mixed_quality, _ = ssim_of(server + darkroom_path(*MIXED[3]).replace("%s", "q"),
                                   os.path.join(root, "alpha.png"))
        r = wrk(server, [darkroom_path(*m) for m in MIXED], args.seconds, unique=True)
        mixed = [("darkroom mixed, uncached", r, peak_rss_mb([darkroom.pid]), mixed_quality)]
    finally:
        darkroom.send_signal(signal.SIGTERM)
        darkroom.wait(timeout=30)

    # The same recipe in-process, over copies of the same file, to isolate HTTP's share.
    batch = tempfile.mkdtemp()
    for i in range(48):
        shutil.copy(source, os.path.join(batch, f"p{i}.jpg"))
    out = tempfile.mkdtemp()
    start = time.perf_counter()
    subprocess.run([args.darkroom, "process", "--recipe", f"rs:fit:{WIDTH}:{HEIGHT}/q:{QUALITY}", "--output", out,
                    "--jobs", "2", batch], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    in_process = 48 / (time.perf_counter() - start)
    shutil.rmtree(batch)
    shutil.rmtree(out)

    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write(f"LOADER = 'thumbor.loaders.file_loader'\nFILE_LOADER_ROOT_PATH = '{os.path.abspath(root)}'\n"
               f"STORAGE = 'thumbor.storages.no_storage'\nRESULT_STORAGE = None\nQUALITY = {QUALITY}\n"
               "ALLOW_UNSAFE_URL = True\nAUTO_WEBP = False\nMAX_AGE = 0\n")
    conf.close()
    thumbor = subprocess.Popen([args.thumbor, "--port", "18282", "--ip", "127.0.0.1", "--processes", "2",
                                "-c", conf.name, "-l", "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        server = "http://127.0.0.1:18282"
        url = f"{server}/unsafe/fit-in/{WIDTH}x{HEIGHT}/photo.jpg"
        wait_ready(url)
        if thumbor.poll() is not None:
            raise RuntimeError("thumbor exited at start (is port 18282 taken?)")
        quality, _ = ssim_of(url, os.path.join(root, "photo.jpg"))
        r = wrk(server, [url[len(server):]], args.seconds, unique=False)
        rows.append(("thumbor 7.8 (2 processes)", r, peak_rss_mb([thumbor.pid] + children(thumbor.pid)), quality))
        thumbor_mixed_quality, _ = ssim_of(server + thumbor_path(*MIXED[3]), os.path.join(root, "alpha.png"))
        r = wrk(server, [thumbor_path(*m) for m in MIXED], args.seconds, unique=False)
        mixed.append(("thumbor mixed", r, peak_rss_mb([thumbor.pid] + children(thumbor.pid)), thumbor_mixed_quality))
    finally:
        # thumbor forks its workers; stop the whole process group it leads, not only the parent.
        os.killpg(thumbor.pid, signal.SIGTERM)
        try:
            thumbor.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        time.sleep(1)
        try:
            os.killpg(thumbor.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.unlink(conf.name)

    thumbor_rps = rows[-1][1]["rps"]
    print()
    print("| server | req/s | p50 ms | p99 ms | peak RSS MB | SSIM | × thumbor |")
    print("|---|---|---|---|---|---|---|")
    for name, r, rss, q in rows:
        print(f"| {name} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {rss:.0f} | {q:.4f} | {r['rps'] / thumbor_rps:.2f}× |")
    print()
    print("| mixed workload (3 sources × fit/fill/smart × JPEG/WebP/AVIF) | req/s | p50 ms | p99 ms | peak RSS MB | SSIM (PNG+alpha → WebP fit) | × thumbor |")
    print("|---|---|---|---|---|---|---|")
    for name, r, rss, q in mixed:
        print(f"| {name} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {rss:.0f} | {q:.4f} | {r['rps'] / mixed[-1][1]['rps']:.2f}× |")
    rows += mixed
    uncached = rows[0][1]["rps"]
    print(f"\nin-process (darkroom process, 2 jobs): {in_process:.1f} images/s; "
          f"HTTP overhead: {max(0.0, 1 - uncached / in_process) * 100:.1f}%")
    for name, r, _, _ in rows:
        if r["errors"]:
            print(f"warning: {name} had {r['errors']} non-2xx responses")


if __name__ == "__main__":
    main()
