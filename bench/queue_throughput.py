#!/usr/bin/env python3
"""Queue throughput: enqueue, claim and complete no-op jobs with 2 and with 8 workers, on SQLite
and on PostgreSQL (the cluster scripts/test-servers starts), via `darkroom queue bench`: one job
per claim, and 16 per claim (as `darkroom worker` claims for its free slots, with the batch
completed in one call). Prints jobs/s and the claim-latency p99 (per claim call), best of the rounds."""
import argparse, json, os, subprocess, tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--darkroom", required=True)
parser.add_argument("--jobs", type=int, default=4000)
parser.add_argument("--rounds", type=int, default=2)
args = parser.parse_args()

folder = tempfile.mkdtemp(prefix="darkroom-queue-bench-")
queues = [("SQLite (WAL, synchronous=FULL)", f"sqlite:{folder}/queue.db")]
if os.environ.get("DARKROOM_TEST_POSTGRES_URL"):
    queues.append(("PostgreSQL 15 (fsync off)", os.environ["DARKROOM_TEST_POSTGRES_URL"]))

rows = []
for name, url in queues:
    for batch in (1, 16):
        for workers in (2, 8):
            best = None
            for _ in range(args.rounds):
                out = subprocess.run([args.darkroom, "queue", "bench", "--queue", url, "--jobs", str(args.jobs),
                                      "--workers", str(workers), "--batch", str(batch)],
                                     check=True, capture_output=True, text=True).stdout
                result = json.loads(out.strip().splitlines()[-1])
                if best is None or result["jobs_per_s"] > best["jobs_per_s"]:
                    best = result
            rows.append((name, workers, best))

print(f"\nQueue throughput: {args.jobs} no-op jobs enqueued, then claimed and completed (best of {args.rounds})\n")
print("| queue | workers | jobs per claim | enqueue/s | claim+complete jobs/s | claim p50 ms | claim p99 ms |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, workers, r in rows:
    print(f"| {name} | {workers} | {r['batch']} | {r['enqueue_per_s']} | {r['jobs_per_s']} | {r['claim_p50_ms']:.2f} | {r['claim_p99_ms']:.2f} |")
