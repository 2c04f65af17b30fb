#!/usr/bin/env python3
"""Server benchmark: darkroom serve against thumbor 7 on one 12 MP photo, with bounded wrk runs on loopback.

Prints req/s, p50, p99 and peak RSS for: darkroom uncached (a unique cache buster per request),
darkroom cached, thumbor (2 processes, no result storage), the same photo as a progressive JPEG,
a mixed workload, and darkroom's own batch path on the same image (the in-process rate, to show the HTTP overhead); plus the SSIM of each server's
output against a full-decode Lanczos reference. Rounds are interleaved and each row keeps its
fastest round, as in the thumbnail benchmark, because this machine's noise is ±20%.
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


def cpu_ticks(pid):
    """User plus system CPU time of a process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


# One request at a time, to show where each server wins: the mixed workload's requests and the
# progressive photo's fit.
SINGLES = MIXED + [("progressive.jpg", "fit", "jpg")]


def fastest_request_ms(urls):
    """The fastest of the requests to `urls`, one at a time, in milliseconds."""
    best = float("inf")
    for url in urls:
        start = time.perf_counter()
        urllib.request.urlopen(url, timeout=60).read()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def ssim_of(url, source):
    data = urllib.request.urlopen(url, timeout=60).read()
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return thumbnails.ssim(im, thumbnails.reference(source, im.size)), im.size


class Darkroom:
    """`darkroom serve` on port 18181 for one round, stopped by SIGTERM."""

    def __init__(self, binary, root):
        self.proc = subprocess.Popen([binary, "serve", "--port", "18181", "--local-root", root, "--jobs", "2",
                                      "--log-level", "warning", "--max-queue", "64"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = "http://127.0.0.1:18181"

    def __enter__(self):
        wait_ready(self.url + "/health")
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)

    def rss(self):
        return peak_rss_mb([self.proc.pid])


class Thumbor:
    """thumbor with 2 processes on port 18282 for one round, its whole process group stopped after."""

    def __init__(self, binary, root):
        self.conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
        self.conf.write(f"LOADER = 'thumbor.loaders.file_loader'\nFILE_LOADER_ROOT_PATH = '{os.path.abspath(root)}'\n"
                        f"STORAGE = 'thumbor.storages.no_storage'\nRESULT_STORAGE = None\nQUALITY = {QUALITY}\n"
                        "ALLOW_UNSAFE_URL = True\nAUTO_WEBP = False\nMAX_AGE = 0\n")
        self.conf.close()
        self.proc = subprocess.Popen([binary, "--port", "18282", "--ip", "127.0.0.1", "--processes", "2",
                                      "-c", self.conf.name, "-l", "error"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.url = "http://127.0.0.1:18282"

    def __enter__(self):
        wait_ready(f"{self.url}/unsafe/fit-in/{WIDTH}x{HEIGHT}/photo.jpg")
        if self.proc.poll() is not None:
            raise RuntimeError("thumbor exited at start (is port 18282 taken?)")
        return self

    def __exit__(self, *exc):
        # thumbor forks its workers; stop the whole process group it leads, not only the parent.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        time.sleep(1)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.unlink(self.conf.name)

    def rss(self):
        return peak_rss_mb([self.proc.pid] + children(self.proc.pid))

    def wrk(self, paths, seconds, attempts=4):
        """A wrk run in which both processes worked.

        Each process accepts connections for itself, and wrk keeps its 8 connections open, so
        now and then one process gets nearly all of them and thumbor runs on one core at half
        its rate (measured: 6.5 against 13.6 req/s, one process at 67 CPU ticks, the other at
        800). Such runs are thrown away, up to `attempts`, so that thumbor is compared at its
        real two-process rate.
        """
        workers = children(self.proc.pid)
        for _ in range(attempts):
            before = [cpu_ticks(p) for p in workers]
            result = wrk(self.url, paths, seconds, unique=False)
            used = [cpu_ticks(p) - b for p, b in zip(workers, before)]
            result["balanced"] = len(used) < 2 or min(used) >= 0.6 * max(used)
            if result["balanced"]:
                break
        return result


def in_process_rate(binary, source, copies=200):
    """`darkroom process` with 2 jobs over links to the source: the same recipe without HTTP.

    The rate is the one the command reports, which leaves out its start-up (about 0.15 s, as
    long as the whole batch of a fast recipe).
    """
    batch, out = tempfile.mkdtemp(), tempfile.mkdtemp()
    for i in range(copies):
        os.link(source, os.path.join(batch, f"p{i}.jpg"))
    summary = subprocess.run([binary, "process", "--recipe", f"rs:fit:{WIDTH}:{HEIGHT}/q:{QUALITY}", "--output", out,
                              "--jobs", "2", batch], check=True, capture_output=True, text=True).stdout
    shutil.rmtree(batch)
    shutil.rmtree(out)
    return float(re.search(r"^images/s: ([\d.]+)", summary, re.M).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--thumbor", default=".bench/thumbor/bin/thumbor")
    parser.add_argument("--work", default=".bench")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each row keeps its fastest round")
    args = parser.parse_args()

    photos = thumbnails.fetch_photos(args.work)
    source = min(photos, key=lambda p: abs(Image.open(p).width * Image.open(p).height - 12e6))
    root = os.path.abspath(os.path.join(args.work, "server-images"))
    os.makedirs(root, exist_ok=True)
    # The photo as published (progressive) and as a camera writes it (baseline, q90, 4:2:0):
    # thumbnails of progressive JPEGs are bound by Huffman decoding whatever the server, so
    # the plain rows and the mixed workload use the baseline one, and the progressive one
    # gets rows of its own.
    shutil.copy(source, os.path.join(root, "progressive.jpg"))
    with Image.open(source) as im:
        im.save(os.path.join(root, "photo.jpg"), quality=90, subsampling=2, progressive=False)
        print(f"source: {os.path.basename(source)}, {im.width}x{im.height} ({im.width * im.height / 1e6:.1f} MP), "
              f"progressive as published and re-encoded baseline q90; task: fit {WIDTH}x{HEIGHT}, JPEG q{QUALITY}; "
              f"wrk: 2 threads, 8 connections, {args.seconds} s each; best of {args.repeat} interleaved rounds")
    make_mixed_sources(source, root)

    # Rounds interleave the servers (each started afresh) and the in-process run, so a slow
    # stretch on the machine hits every contender alike; each row keeps its fastest round.
    # Peak RSS is the highest of any round.
    runs, rss, quality, in_process = {}, {}, {}, []

    rounds = {}
    # Fastest single request by (server, (source, op, format)), one entry per round.
    singles = {}

    def record(name, result, peak):
        rounds.setdefault(name, []).append(result["rps"])
        if name not in runs or result["rps"] > runs[name]["rps"]:
            runs[name] = result
        rss[name] = max(peak, rss.get(name, 0))

    for attempt in range(args.repeat):
        with Darkroom(args.darkroom, root) as server:
            plain = f"/unsafe/rs:fit:{WIDTH}:{HEIGHT}/q:{QUALITY}/cb:%s/plain/local:///photo.jpg@jpg"
            progressive = plain.replace("photo.jpg", "progressive.jpg")
            if attempt == 0:
                quality["plain"] = ssim_of(server.url + plain.replace("%s", "q"), os.path.join(root, "photo.jpg"))[0]
                quality["progressive"] = ssim_of(server.url + progressive.replace("%s", "q"), source)[0]
                quality["mixed"] = ssim_of(server.url + darkroom_path(*MIXED[3]).replace("%s", "q"),
                                           os.path.join(root, "alpha.png"))[0]
            record("darkroom uncached", wrk(server.url, [plain], args.seconds, unique=True), server.rss())
            # One fixed cache buster: every request after the first is a cache hit.
            record("darkroom cached", wrk(server.url, [plain.replace("%s", "fixed")], args.seconds, unique=False),
                   server.rss())
            record("darkroom progressive", wrk(server.url, [progressive], args.seconds, unique=True), server.rss())
            record("darkroom mixed", wrk(server.url, [darkroom_path(*m) for m in MIXED], args.seconds, unique=True),
                   server.rss())
            for m in SINGLES:
                urls = [server.url + darkroom_path(*m).replace("%s", f"single-{attempt}-{i}") for i in range(4)]
                singles.setdefault(("darkroom", m), []).append(fastest_request_ms(urls))
        in_process.append(in_process_rate(args.darkroom, os.path.join(root, "photo.jpg")))
        with Thumbor(args.thumbor, root) as server:
            url = f"{server.url}/unsafe/fit-in/{WIDTH}x{HEIGHT}/photo.jpg"
            if attempt == 0:
                quality["thumbor plain"] = ssim_of(url, os.path.join(root, "photo.jpg"))[0]
                quality["thumbor progressive"] = ssim_of(url.replace("photo.jpg", "progressive.jpg"), source)[0]
                quality["thumbor mixed"] = ssim_of(server.url + thumbor_path(*MIXED[3]),
                                                   os.path.join(root, "alpha.png"))[0]
            record("thumbor", server.wrk([url[len(server.url):]], args.seconds), server.rss())
            record("thumbor progressive", server.wrk([url[len(server.url):].replace("photo.jpg", "progressive.jpg")],
                                                     args.seconds), server.rss())
            record("thumbor mixed", server.wrk([thumbor_path(*m) for m in MIXED], args.seconds), server.rss())
            for m in SINGLES:
                singles.setdefault(("thumbor", m), []).append(fastest_request_ms([server.url + thumbor_path(*m)] * 4))

    def table(title, rows, baseline):
        print()
        print(f"| {title} | req/s | p50 ms | p99 ms | peak RSS MB | SSIM | × thumbor | req/s by round |")
        print("|---|---|---|---|---|---|---|---|")
        for label, key, q in rows:
            r = runs[key]
            print(f"| {label} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {rss[key]:.0f} | {quality[q]:.4f} | "
                  f"{r['rps'] / runs[baseline]['rps']:.2f}× | {', '.join(f'{x:.1f}' for x in rounds[key])} |")

    table("baseline JPEG, fit 400×300, JPEG q80", [
        ("darkroom uncached", "darkroom uncached", "plain"), ("darkroom cached", "darkroom cached", "plain"),
        ("thumbor 7.8 (2 processes)", "thumbor", "thumbor plain")], "thumbor")
    table("progressive JPEG, the same", [
        ("darkroom uncached", "darkroom progressive", "progressive"),
        ("thumbor 7.8", "thumbor progressive", "thumbor progressive")], "thumbor progressive")
    table("mixed workload (3 sources × fit/fill/smart × JPEG/WebP/AVIF; SSIM of PNG+alpha → WebP fit)", [
        ("darkroom, uncached", "darkroom mixed", "mixed"), ("thumbor 7.8", "thumbor mixed", "thumbor mixed")],
        "thumbor mixed")
    print()
    print("| one request at a time: source, op → output | darkroom ms | thumbor ms | thumbor ÷ darkroom |")
    print("|---|---:|---:|---:|")
    for m in SINGLES:
        d, t = min(singles[("darkroom", m)]), min(singles[("thumbor", m)])
        print(f"| {m[0]}, {m[1]} → {m[2]} | {d:.0f} | {t:.0f} | {t / d:.2f} |")
    uncached, batch = runs["darkroom uncached"]["rps"], max(in_process)
    print(f"\nin-process (darkroom process, 2 jobs): {batch:.1f} images/s (rounds: "
          f"{', '.join(f'{r:.1f}' for r in in_process)}); HTTP overhead: {max(0.0, 1 - uncached / batch) * 100:.1f}%")
    for name, r in runs.items():
        if r.get("balanced") is False:
            print(f"warning: {name}: one thumbor process took most connections in every attempt")
        if r["errors"]:
            print(f"warning: {name} had {r['errors']} non-2xx responses")


if __name__ == "__main__":
    main()
