"""Chaos tests on a real local cluster (scripts/cluster): two serve nodes behind HAProxy, three
workers, PostgreSQL and SeaweedFS, all under load while something fails.

    python chaos.py BINARY FOLDER [SCENARIO…]

Scenarios: serve_kill, worker_kill, seaweedfs_stop, postgres_restart (on one cluster, in that
order; one named more than once runs again on the same cluster, reported as name#2, …) and
disk_full (a serve of its own on a small tmpfs). Prints one JSON object with each
scenario's measurements and its "problems" (empty when every criterion held); exits 0 then.
"""
import importlib.machinery
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
cluster_module = importlib.machinery.SourceFileLoader("cluster", str(ROOT / "scripts/cluster")).load_module()
Cluster, answers, wait_until, free_port = (cluster_module.Cluster, cluster_module.answers, cluster_module.wait_until,
                                           cluster_module.free_port)
IMAGES = sorted(path for path in (ROOT / "examples/images").iterdir() if path.suffix in (".jpg", ".png"))


def request(url, body=None, timeout=10):
    """(status, JSON or text) of a GET, or a POST of `body`."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST" if body else "GET"),
                                    timeout=timeout) as response:
            status, data = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, data = error.code, error.read()
    except Exception as error:
        return None, str(error)
    try:
        return status, json.loads(data)
    except ValueError:
        return status, data.decode(errors="replace")


def upload(cluster, count):
    """Uploads `count` images through HAProxy; returns the ids of the jobs they started."""
    jobs = []
    for index in range(count):
        # Bytes after the image's end make each upload a new image (the same bytes are one image).
        body = IMAGES[index % len(IMAGES)].read_bytes() + os.urandom(8)
        status, answer = request(cluster.address + "/v1/images", body)
        if status != 202:
            raise RuntimeError(f"upload answered {status}: {answer}")
        jobs += [job["id"] for job in answer["jobs"]]
    return jobs


def job_states(cluster, ids):
    """Each job's JSON, asked of the first serve node that answers."""
    states = {}
    for job in ids:
        for name in ("serve0", "serve1"):
            status, answer = request(f"http://127.0.0.1:{cluster.port(name)}/v1/jobs/{job}", timeout=5)
            if status == 200:
                states[job] = answer
                break
    return states


def wait_for_jobs(cluster, ids, timeout=150):
    """Waits until every job is finished (completed or dead); returns their states."""
    deadline = time.time() + timeout
    states = {}
    while time.time() < deadline:
        states = job_states(cluster, ids)
        if len(states) == len(ids) and all(state["status"] in ("completed", "dead", "cancelled") for state in states.values()):
            break
        time.sleep(0.5)
    return states


def job_problems(ids, states, max_attempts_above_one, cluster=None):
    problems = []
    unfinished = [job for job in ids if states.get(job, {}).get("status") != "completed"]
    if unfinished:
        problems.append(f"{len(unfinished)} of {len(ids)} jobs did not complete: "
                        f"{sorted({states.get(job, {}).get('status', 'unknown') for job in unfinished})}")
        # What a reader needs to tell why: where the stuck jobs were placed, and who leads.
        keys = ("status", "attempts", "assigned_to", "claimed_by", "run_at", "last_error")
        problems.append("stuck: " + json.dumps([{key: states.get(job, {}).get(key) for key in keys} for job in unfinished[:3]]))
        if cluster:
            status, workers = request(f"http://127.0.0.1:{cluster.port('serve1')}/v1/workers")
            problems.append("workers: " + json.dumps(workers)[:1500])
    rerun = [job for job in ids if states.get(job, {}).get("attempts", 0) > 1]
    if len(rerun) > max_attempts_above_one:
        problems.append(f"{len(rerun)} jobs ran more than once (at most {max_attempts_above_one} may, their leases lost)")
    return problems


def wrk(url, paths, seconds):
    """Runs wrk against `url` over `paths`; returns requests, failures (non-2xx and socket errors)."""
    script = Path(os.environ.get("TMPDIR", "/tmp")) / f"darkroom-chaos-{os.getpid()}.lua"
    script.write_text("local paths = {" + ",".join(json.dumps(path) for path in paths) + "}\n"
                      "local i = 0\nrequest = function()\n  i = i + 1\n"
                      "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n")
    output = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "5s", "-s", str(script), url],
                            capture_output=True, text=True).stdout
    script.unlink()
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    sockets = sum(map(int, m.groups())) if (m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)) else 0
    return {"requests": total, "failed": non2xx + sockets, "non_2xx": non2xx, "socket_errors": sockets}


def serve_kill(cluster):
    paths = [f"/unsafe/rs:fit:{side}:{side}/plain/local:///demo/{image.name}" for side in (64, 96, 128, 160) for image in IMAGES]
    during = {}
    load = threading.Thread(target=lambda: during.update(wrk(cluster.address, paths, 10)))
    load.start()
    time.sleep(3)
    cluster.kill("serve0")
    killed = time.time()
    wait_until(lambda: "serve0" not in cluster.haproxy_up(), 10, "HAProxy did not mark serve0 down")
    marked_down = time.time() - killed
    load.join()
    after = wrk(cluster.address, paths, 4)
    cluster.restart("serve0")
    all_up(cluster)
    ratio = during["failed"] / max(1, during["requests"])
    problems = []
    if ratio >= 0.005:
        problems.append(f"{during['failed']} of {during['requests']} requests failed while serve0 died ({ratio:.2%} ≥ 0.5%)")
    if after["failed"]:
        problems.append(f"{after['failed']} requests failed after HAProxy marked serve0 down")
    return {"during": during, "after_down": after, "failed_ratio": ratio, "marked_down_s": round(marked_down, 2),
            "problems": problems}


def worker_id(cluster, name):
    """The id `name` registered under, found by its PID."""
    status, answer = request(f"http://127.0.0.1:{cluster.port('serve1')}/v1/workers")
    workers = answer.get("workers", []) if isinstance(answer, dict) else []
    return next((worker["id"] for worker in workers if worker.get("pid") == cluster.pid(name)), None)


def all_up(cluster):
    """Waits until HAProxy routes to every serve node again."""
    wait_until(lambda: cluster.haproxy_up() == {f"serve{i}" for i in range(cluster.serve_nodes)}, 30,
               "HAProxy did not route to every serve node again")


def worker_kill(cluster):
    victim = worker_id(cluster, "worker0")
    ids = upload(cluster, 24)
    # worker0 is the slow one (--throttle): kill it while it holds a job.
    held = []
    wait_until(lambda: held.extend(job for job, state in job_states(cluster, ids).items()
                                   if state["status"] == "running" and (state.get("claimed_by") or "").startswith(victim or "?")) or held,
               60, "worker0 never held a job")
    cluster.kill("worker0")
    states = wait_for_jobs(cluster, ids)
    # Back at full speed: the throttle multiplies a job's whole time, outages included, so a slow
    # worker0 would sit on the jobs the scheduler gave it for minutes in the scenarios after.
    arguments = cluster.state["processes"]["worker0"]["arguments"]
    if "--throttle" in arguments:
        del arguments[arguments.index("--throttle"):arguments.index("--throttle") + 2]
    cluster.restart("worker0")
    wait_until(lambda: answers(f"http://127.0.0.1:{cluster.port('worker0')}/ready") == 200, 60, "worker0 did not come back")
    problems = job_problems(ids, states, max_attempts_above_one=1, cluster=cluster)
    killed = states.get(held[0], {})
    if killed.get("status") != "completed" or killed.get("attempts") != 2:
        problems.append(f"the job worker0 died holding ended {killed.get('status')} after {killed.get('attempts')} attempts, "
                        "not completed on its second")
    return {"jobs": len(ids), "completed": sum(state["status"] == "completed" for state in states.values()),
            "killed_holding": held[0], "ran_twice": sum(state.get("attempts", 0) > 1 for state in states.values()),
            # worker0 runs one job at a time: only that one may run again, after its lease.
            "problems": problems}


def postgres_restart(cluster):
    ids = upload(cluster, 40)
    time.sleep(0.5)
    nodes = [port for _, port in cluster.nodes()]


    def seconds_until_every_node_answers(status, limit):
        """How long until /ready says `status` on every node; None past `limit`."""
        began = time.time()
        while time.time() - began < limit:
            if all(answers(f"http://127.0.0.1:{port}/ready", timeout=1) == status for port in nodes):
                return time.time() - began
            time.sleep(0.2)
        return None

    cluster.postgres("stop")
    stopped = time.time()
    not_ready = seconds_until_every_node_answers(503, 10)
    serve = f"http://127.0.0.1:{cluster.port('serve0')}"
    job_status, _ = request(f"{serve}/v1/jobs/{ids[0]}", timeout=10)
    upload_status, _ = request(f"{serve}/v1/images", IMAGES[0].read_bytes(), timeout=10)
    time.sleep(max(0.0, 8 - (time.time() - stopped)))
    cluster.postgres("start")
    ready_again = seconds_until_every_node_answers(200, 40)
    states = wait_for_jobs(cluster, ids)
    all_up(cluster)
    problems = job_problems(ids, states, max_attempts_above_one=len(ids), cluster=cluster)
    if not_ready is None or not_ready > 5:
        problems.append(f"/ready was not false on every node within 5 s of the database stopping ({not_ready})")
    if job_status != 503 or upload_status != 503:
        problems.append(f"the API answered {job_status} (job) and {upload_status} (upload) with the database down, not 503")
    if ready_again is None:
        problems.append("/ready did not come back within 40 s of the database starting")
    dead_or_twice = [job for job, state in states.items() if state.get("attempts", 0) > 2]
    if dead_or_twice:
        problems.append(f"{len(dead_or_twice)} jobs ran more than twice")
    return {"jobs": len(ids), "not_ready_after_s": not_ready, "api_status_while_down": [job_status, upload_status],
            "ready_again_after_s": ready_again, "ran_twice": sum(state.get("attempts", 0) > 1 for state in states.values()),
            "problems": problems}


def seaweedfs_stop(cluster):
    ids = upload(cluster, 40)
    time.sleep(0.5)
    cluster.stop_process("seaweedfs")
    time.sleep(10)
    cluster.restart("seaweedfs")
    cluster.wait_for_seaweedfs()
    states = wait_for_jobs(cluster, ids)
    all_up(cluster)
    dead = [job for job, state in states.items() if state["status"] == "dead"]
    problems = job_problems(ids, states, max_attempts_above_one=len(ids), cluster=cluster)
    if dead:
        problems.append(f"{len(dead)} jobs were dead-lettered")
    return {"jobs": len(ids), "dead": len(dead), "completed": sum(state["status"] == "completed" for state in states.values()),
            "problems": problems}


def disk_full(binary, folder):
    """Uploads into a local store on a 6 MB tmpfs until it is full, then frees space."""
    small = folder / "small"
    small.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(small)], check=True)
    port = free_port()
    log = open(folder / "disk-full-serve.log", "wb")
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--storage", f"file:{small}", "--queue",
                               f"sqlite:{folder / 'disk-full-queue.db'}", "--index", "memory:", "--no-worker"],
                              stdout=log, stderr=subprocess.STDOUT)
    problems, statuses, message = [], [], ""
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/ready") == 200, 60, "serve did not start")
        body = IMAGES[0].read_bytes()
        for attempt in range(400):
            # Each upload differs, so each is a new object.
            status, answer = request(f"http://127.0.0.1:{port}/v1/images", body + attempt.to_bytes(4, "big"))
            statuses.append(status)
            if status != 202:
                message = json.dumps(answer) if not isinstance(answer, str) else answer
                break
        if statuses[-1] != 507:
            problems.append(f"a full disk answered {statuses[-1]}, not 507 Insufficient Storage: {message[:200]}")
        if "space" not in message:
            problems.append(f"the error does not say the store is out of space: {message[:200]}")
        stored = list((small / "originals").rglob("*")) if (small / "originals").exists() else []
        partial = [path.name for path in stored if path.is_file() and path.stat().st_size not in (len(body) + 4,)]
        if partial:
            problems.append(f"{len(partial)} stored objects are not whole: {partial[:3]}")
        # The store writes into .darkroom/tmp and renames: nothing may stay there.
        leftovers = [path.name for path in (small / ".darkroom/tmp").rglob("*") if path.is_file()] \
            if (small / ".darkroom/tmp").exists() else []
        if leftovers:
            problems.append(f"temporary files were left behind: {leftovers[:3]}")
        for path in [path for path in stored if path.is_file()][: max(1, len(stored) // 2)]:
            path.unlink()
        recovered, _ = request(f"http://127.0.0.1:{port}/v1/images", body + b"recovered")
        if recovered != 202:
            problems.append(f"an upload after space returned answered {recovered}")
        if answers(f"http://127.0.0.1:{port}/health") != 200:
            problems.append("serve stopped answering /health")
    finally:
        server.terminate()
        server.wait(timeout=20)
        subprocess.run(["umount", str(small)], check=False)
    return {"uploads_before_full": statuses.count(202), "full_status": statuses[-1] if statuses else None,
            "message": message[:200], "problems": problems}


def main(binary, folder, scenarios):
    folder = Path(folder)
    results = {}
    cluster_scenarios = [name for name in scenarios if name != "disk_full"]
    if cluster_scenarios:
        cluster = Cluster(folder / "cluster", binary=binary, lease=8, slow_worker=40)
        try:
            started = time.time()
            cluster.start()
            results["start_s"] = round(time.time() - started, 1)
            for index, name in enumerate(cluster_scenarios):
                # A scenario named again runs again on the same cluster, reported as name#2, …
                key = name if name not in cluster_scenarios[:index] else f"{name}#{cluster_scenarios[:index + 1].count(name)}"
                began = time.time()
                try:
                    results[key] = globals()[name](cluster)
                except Exception as error:
                    results[key] = {"problems": [f"{type(error).__name__}: {error}"]}
                results[key]["seconds"] = round(time.time() - began, 1)
            results["rss_kib"] = cluster.rss()
        except Exception as error:
            results["cluster"] = {"problems": [f"{type(error).__name__}: {error}"]}
        finally:
            cluster.stop()
        logs = folder / "cluster" / "logs"
        results["log_tails"] = {path.name: path.read_text(errors="replace")[-1500:] for path in sorted(logs.glob("*.log"))} \
            if any(result.get("problems") for result in results.values() if isinstance(result, dict)) else {}
    if "disk_full" in scenarios:
        try:
            results["disk_full"] = disk_full(binary, folder)
        except Exception as error:
            results["disk_full"] = {"problems": [f"{type(error).__name__}: {error}"]}
    print(json.dumps(results, indent=2))
    failed = any(result.get("problems") for result in results.values() if isinstance(result, dict) and "problems" in result)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:] or
                  ["serve_kill", "worker_kill", "seaweedfs_stop", "postgres_restart", "disk_full"]))
