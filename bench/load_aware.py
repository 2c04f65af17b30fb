#!/usr/bin/env python3
"""Load-aware encoding under overload: wrk offers more AVIF-accepting requests than the cores can
encode, with Darkroom's load-aware encoding off (`--degrade-avif-at-queue 0`) and on (the default:
as soon as one render waits for a pixel thread), each on a fresh server with its result cache on.

The sources are the bench photos stored at 1800 px (a catalogue's masters, where decoding is cheap
and encoding dominates), and every request is for a different URL (each photo fitted at many sizes
from 600 to 1196 px), so each one renders. It runs once with Darkroom's default AVIF speed (7) and
once with `avifo:5` (libvips' own default effort), where AVIF costs more beside WebP.
The table gives throughput, p50 and p99 latency, the non-2xx answers, the share of answers that
were WebP in place of AVIF; then, once wrk stops, how long the put-off AVIF renders take to drain
and what share of the URLs that were requested now answer AVIF.
"""
import argparse, os, re, shutil, subprocess, tempfile, time, urllib.request

import server
from thumbnails import fetch_photos

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 18184
ACCEPT = "image/avif,image/webp,*/*"

WRK_SCRIPT = """
-- Threads take interleaved URLs from one list, so no two requests share a URL.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
  thread:set("count", 2)
end
init = function(args)
  counter = 0
  paths = {}
  for line in io.lines(args[1]) do table.insert(paths, line) end
end
request = function()
  local index = (counter * count + id - 1) % #paths + 1
  counter = counter + 1
  return wrk.format("GET", paths[index], {["Accept"] = "ACCEPT"})
end
""".replace("ACCEPT", ACCEPT)


def get(path):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        return response.headers.get("Content-Type"), response.headers.get("X-Darkroom-Degraded")


def metric(name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics", timeout=30).read().decode()
    match = re.search(rf"^{name}(?:{{[^}}]*}})? ([\d.e+]+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def run(darkroom, root, paths, seconds, connections, degrade):
    proc = subprocess.Popen([darkroom, "serve", "--port", str(PORT), "--local-root", root, "--jobs", "2",
                             "--max-queue", "256", "--timeout", "120", "--no-worker", "--log-level", "error",
                             "--degrade-avif-at-queue", str(degrade),
                             "--queue", f"sqlite:{root}/queue-{degrade}.db", "--storage", f"file:{root}/store-{degrade}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server.wait_ready(f"http://127.0.0.1:{PORT}/health")
        listing = os.path.join(root, "paths.txt")
        with open(listing, "w") as out:
            out.write("\n".join(paths) + "\n")
        script = os.path.join(root, "overload.lua")
        with open(script, "w") as out:
            out.write(WRK_SCRIPT)
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "60s",
                              "-s", script, f"http://127.0.0.1:{PORT}", "--", listing],
                             capture_output=True, text=True, timeout=seconds + 120).stdout
        result = server.parse_wrk(out)
        total = int(re.search(r"(\d+) requests in", out).group(1))
        result["requests"] = total
        result["degraded"] = metric("darkroom_degraded_total")
        requested = paths[:min(total, len(paths))]
        # Once the load stops: how many put-off renders are made within a minute, how long all
        # take, then what the URLs answer.
        start = time.perf_counter()
        pending = metric("darkroom_deferred_renders")
        result["ready_60s"] = 1.0
        while metric("darkroom_deferred_renders") > 0 and time.perf_counter() - start < 180:
            time.sleep(0.25)
            if pending and time.perf_counter() - start >= 60 and "measured_60s" not in result:
                result["measured_60s"] = True
                result["ready_60s"] = 1 - metric("darkroom_deferred_renders") / pending
        result["drain_s"] = time.perf_counter() - start
        answers = [get(path) for path in requested]
        result["avif_after"] = sum(1 for kind, _ in answers if kind == "image/avif") / max(1, len(answers))
        result["checked_after_s"] = time.perf_counter() - start
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", default=os.path.join(ROOT, ".build/release/darkroom"))
    parser.add_argument("--work", default=os.path.join(ROOT, ".bench"))
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    root = tempfile.mkdtemp(prefix="darkroom-load-")
    names = []
    for path in fetch_photos(args.work)[:12]:
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        # Sized by Darkroom itself: importing pyvips here would leave libvips settings in this
        # process's environment that the darkroom children inherit (they then miss their HEIF module).
        subprocess.run([args.darkroom, "transform", path, os.path.join(root, name), "--recipe", "rs:fit:1800:1800/q:90"],
                       check=True)
        names.append(name)

    print(f"\n### Load-aware encoding under overload (wrk, 2 threads, {args.connections} connections, {args.seconds} s; "
          f"every request a different URL: {len(names)} 1800 px photos fitted at 600-1196 px; Accept: {ACCEPT}; "
          f"2 pixel threads)\n")
    print("| AVIF | load-aware | req/s | p50 ms | p99 ms | non-2xx | answered WebP for AVIF | AVIF made within 60 s | all made in | AVIF after load |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for avif, extra in (("speed 7 (default)", ""), ("avifo:5", "/avifo:5")):
        paths = [f"/unsafe/rs:fit:{size}:{size}{extra}/plain/local:///{name}" for size in range(600, 1200, 4) for name in names]
        rows = {}
        for label, degrade in (("off", 0), ("on", 1)):
            rows[label] = run(args.darkroom, root, paths, args.seconds, args.connections, degrade)
        for label, r in rows.items():
            share = min(1.0, r["degraded"] / max(1, r["requests"]))
            print(f"| {avif} | {label} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p99']:.0f} | {r['errors']} | {share:.0%} | "
                  f"{r['ready_60s']:.0%} | {r['drain_s']:.0f} s | {r['avif_after']:.0%} |")
        print(f"| {avif} | p99 off/on | {rows['off']['p99'] / max(1e-9, rows['on']['p99']):.1f}x | | | | | | | |")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
