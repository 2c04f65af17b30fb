#!/usr/bin/env python3
"""Object-store throughput: Darkroom's S3 client against boto3, on the same local SeaweedFS.

Run through scripts/test-servers, which starts SeaweedFS and exports DARKROOM_TEST_S3_*.
Each round runs boto3 and then `darkroom objects bench` over the same object sizes, one client
issuing requests one after another; the best of the rounds is reported, as MiB/s and ratios.
"""
import argparse, json, os, subprocess, sys, time

import boto3
from boto3.s3.transfer import TransferConfig

parser = argparse.ArgumentParser()
parser.add_argument("--darkroom", required=True)
parser.add_argument("--rounds", type=int, default=3)
args = parser.parse_args()

endpoint = os.environ["DARKROOM_TEST_S3_ENDPOINT"]
access, secret = os.environ["DARKROOM_TEST_S3_ACCESS_KEY"], os.environ["DARKROOM_TEST_S3_SECRET_KEY"]
bucket = "bench"
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access, aws_secret_access_key=secret,
                  region_name="us-east-1")
try:
    s3.create_bucket(Bucket=bucket)
except s3.exceptions.BucketAlreadyOwnedByYou:
    pass

SIZES = [(1 << 20, 40), (16 << 20, 8)]


def boto_simple(size, count):
    """put_object / get_object: one request per object, as Darkroom's get is."""
    body = os.urandom(size)
    keys = [f"boto/{i}-{time.time_ns()}.bin" for i in range(count)]
    start = time.perf_counter()
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    put = time.perf_counter() - start
    start = time.perf_counter()
    for key in keys:
        assert len(s3.get_object(Bucket=bucket, Key=key)["Body"].read()) == size
    get = time.perf_counter() - start
    for key in keys:
        s3.delete_object(Bucket=bucket, Key=key)
    mib = size * count / (1 << 20)
    return mib / put, mib / get


def boto_transfer(size, count):
    """upload_fileobj / download_fileobj: boto3's transfer manager, multipart and threaded over 8 MiB."""
    import io
    body = os.urandom(size)
    config = TransferConfig()  # 8 MiB threshold and parts, 10 threads: boto3's defaults
    keys = [f"boto-tm/{i}-{time.time_ns()}.bin" for i in range(count)]
    start = time.perf_counter()
    for key in keys:
        s3.upload_fileobj(io.BytesIO(body), bucket, key, Config=config)
    put = time.perf_counter() - start
    start = time.perf_counter()
    for key in keys:
        sink = io.BytesIO()
        s3.download_fileobj(bucket, key, sink, Config=config)
        assert sink.getbuffer().nbytes == size
    get = time.perf_counter() - start
    for key in keys:
        s3.delete_object(Bucket=bucket, Key=key)
    mib = size * count / (1 << 20)
    return mib / put, mib / get


def darkroom(size, count):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=access, AWS_SECRET_ACCESS_KEY=secret)
    out = subprocess.run([args.darkroom, "objects", "bench", "--storage",
                          f"s3://{bucket}?endpoint={endpoint}&path_style=true",
                          "--size", str(size), "--count", str(count)],
                         env=env, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["put_mib_s"], result["get_mib_s"]


# Warm-up: SeaweedFS allocates its volumes on the first writes; nobody should pay for that.
for size, _ in SIZES:
    for run in (boto_simple, boto_transfer, darkroom):
        run(size, 2)

best = {}
for _ in range(args.rounds):
    for size, count in SIZES:
        for name, run in (("boto3", boto_simple), ("boto3 transfer", boto_transfer), ("darkroom", darkroom)):
            put, get = run(size, count)
            old = best.get((name, size), (0, 0))
            best[(name, size)] = (max(old[0], put), max(old[1], get))

print(f"\nObject storage throughput, MiB/s (best of {args.rounds} rounds; SeaweedFS on 127.0.0.1; one client, sequential requests)\n")
print("| object | op | darkroom | boto3 | ratio | boto3 transfer manager | ratio |")
print("|---|---|---:|---:|---:|---:|---:|")
for size, _ in SIZES:
    for index, op in enumerate(("put", "get")):
        ours = best[("darkroom", size)][index]
        simple = best[("boto3", size)][index]
        transfer = best[("boto3 transfer", size)][index]
        print(f"| {size >> 20} MiB | {op} | {ours:.0f} | {simple:.0f} | {ours / simple:.2f}x | {transfer:.0f} | {ours / transfer:.2f}x |")
