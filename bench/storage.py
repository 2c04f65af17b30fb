#!/usr/bin/env python3
"""Object-store throughput: Darkroom's S3 client against boto3, on the same local SeaweedFS.

Run through scripts/test-servers, which starts SeaweedFS and exports DARKROOM_TEST_S3_*.
For each object size and each concurrency (requests in flight at once: 1, as a script does;
8, as a service or a pipeline does), boto3 (put_object/get_object on a thread pool, one shared
client) and `darkroom objects bench` move the same number of objects. Rounds alternate between
the two; the best round of each is reported, in MiB/s, with the ratio. Both sign payloads over
plain HTTP by default; Darkroom with `unsigned_payload=true` is shown too.
"""
import argparse, json, os, resource, subprocess, time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

parser = argparse.ArgumentParser()
parser.add_argument("--darkroom", required=True)
parser.add_argument("--rounds", type=int, default=3)
args = parser.parse_args()

endpoint = os.environ["DARKROOM_TEST_S3_ENDPOINT"]
access, secret = os.environ["DARKROOM_TEST_S3_ACCESS_KEY"], os.environ["DARKROOM_TEST_S3_SECRET_KEY"]
bucket = "bench"
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access, aws_secret_access_key=secret,
                  region_name="us-east-1", config=Config(max_pool_connections=32))
try:
    s3.create_bucket(Bucket=bucket)
except s3.exceptions.BucketAlreadyOwnedByYou:
    pass

CASES = [(1 << 20, 64), (16 << 20, 16)]
CONCURRENCY = [1, 8]


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


cpu = {}  # client CPU seconds per MiB moved (put + get), summed over rounds


def boto(size, count, concurrency):
    cpu_start = time.process_time()
    body = os.urandom(size)
    keys = [f"boto/{i}-{time.time_ns()}.bin" for i in range(count)]

    def timed(operation):
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(operation, keys))
        return time.perf_counter() - start

    def get(key):
        assert len(s3.get_object(Bucket=bucket, Key=key)["Body"].read()) == size

    put = timed(lambda key: s3.put_object(Bucket=bucket, Key=key, Body=body))
    got = timed(get)
    timed(lambda key: s3.delete_object(Bucket=bucket, Key=key))
    mib = size * count / (1 << 20)
    cpu.setdefault(("boto3", size, concurrency), []).append((time.process_time() - cpu_start) / (2 * mib))
    return mib / put, mib / got


def darkroom(size, count, concurrency, options=""):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=access, AWS_SECRET_ACCESS_KEY=secret)
    cpu_start = children_cpu()
    out = subprocess.run([args.darkroom, "objects", "bench", "--storage", f"s3://{bucket}?endpoint={endpoint}&path_style=true{options}",
                          "--size", str(size), "--count", str(count), "--concurrency", str(concurrency)],
                         env=env, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    name = "unsigned" if options else "darkroom"
    cpu.setdefault((name, size, concurrency), []).append((children_cpu() - cpu_start) / (2 * size * count / (1 << 20)))
    return result["put_mib_s"], result["get_mib_s"]


# Warm-up: SeaweedFS allocates volumes on the first writes; neither client should pay for that.
for size, _ in CASES:
    boto(size, 4, 4)
    darkroom(size, 4, 4)
cpu.clear()

best = {}
for _ in range(args.rounds):
    for size, count in CASES:
        for concurrency in CONCURRENCY:
            for name, run in (("boto3", boto), ("darkroom", darkroom),
                              ("unsigned", lambda *a: darkroom(*a, options="&unsigned_payload=true"))):
                put, got = run(size, count, concurrency)
                old = best.get((name, size, concurrency), (0, 0))
                best[(name, size, concurrency)] = (max(old[0], put), max(old[1], got))

print(f"\nObject storage throughput, MiB/s (best of {args.rounds} rounds; SeaweedFS on 127.0.0.1; "
      "boto3 put_object/get_object vs darkroom objects bench)\n")
print("| object | in flight | op | darkroom | boto3 | ratio | darkroom, unsigned payload | ratio |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
for size, _ in CASES:
    for concurrency in CONCURRENCY:
        for index, op in enumerate(("put", "get")):
            ours = best[("darkroom", size, concurrency)][index]
            theirs = best[("boto3", size, concurrency)][index]
            unsigned = best[("unsigned", size, concurrency)][index]
            print(f"| {size >> 20} MiB | {concurrency} | {op} | {ours:.0f} | {theirs:.0f} | {ours / theirs:.2f}x "
                  f"| {unsigned:.0f} | {unsigned / theirs:.2f}x |")

print("\nClient CPU per MiB moved (put + get, whole process, median of the rounds): what each client itself costs\n")
print("| object | in flight | darkroom ms/MiB | boto3 ms/MiB | boto3 ÷ darkroom |")
print("|---|---:|---:|---:|---:|")
for size, _ in CASES:
    for concurrency in CONCURRENCY:
        ours = sorted(cpu[("darkroom", size, concurrency)])[len(cpu[("darkroom", size, concurrency)]) // 2] * 1000
        theirs = sorted(cpu[("boto3", size, concurrency)])[len(cpu[("boto3", size, concurrency)]) // 2] * 1000
        print(f"| {size >> 20} MiB | {concurrency} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.2f}x |")
