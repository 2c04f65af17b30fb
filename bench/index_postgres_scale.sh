#!/usr/bin/env bash
# The PostgreSQL similarity index at scale: 10,000,000 images, then near-duplicate searches timed
# by `darkroom index bench` (not part of `make bench`: it needs about 30 GB of disk and most of
# an hour on 2 cores).
#
# `darkroom index bench` adds about 1,000 images a second to PostgreSQL, which is 3 hours for
# 10,000,000. So the bulk of the index is written by PostgreSQL itself, in the rows darkroom
# writes: each image a row with a packed signature and random hash columns, and 11 chunk rows
# (3 of the DCT hash's 21-bit chunks, 8 of the block hash's 32-bit chunks) of uniformly random
# values, as random hashes have. Every bulk image carries one real signature that no query is near, so each candidate a
# search meets is read and judged as a real one. The tables are emptied and filled in one
# transaction, which wal_level=minimal lets skip the write-ahead log (it would be 30 GB more);
# the keys are built after the load, and the chunk table's foreign key is added NOT VALID
# (checked for new rows, not for the bulk).
# Then `darkroom index bench` adds 20,000 images of its own through the index's code and times
# 1,000 searches for near copies of them among the 10,020,000; then again (20,000 more), once
# the first round has warmed PostgreSQL's caches. Nothing else should run meanwhile: on 2 cores
# a compile beside it doubles the times.
#
#   bench/index_postgres_scale.sh [.build/release/darkroom] [IMAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
darkroom=${1:-.build/release/darkroom}
images=${2:-10000000}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/darkroom-pgscale.XXXXXX)
as_postgres=()
[ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --) && chown postgres "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() { "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap stop EXIT
"${as_postgres[@]}" "$pg_bin/initdb" -D "$work/data" -U darkroom --auth=trust -E UTF8 >"$work/initdb.log"
# A server sized for the machine: a quarter of memory as shared buffers, no fsync, a minimal
# write-ahead log (a bench).
memory_mb=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w start -o \
  "-h 127.0.0.1 -p $port -k $work -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
   -c shared_buffers=$((memory_mb / 4))MB -c maintenance_work_mem=2GB -c max_wal_size=4GB -c work_mem=64MB \
   -c wal_level=minimal -c max_wal_senders=0" >/dev/null
url="postgres://darkroom@127.0.0.1:$port/postgres"
psql=("$pg_bin/psql" -q -v ON_ERROR_STOP=1 "$url")

# The tables, made by darkroom, and one image whose signature every bulk row carries.
"$darkroom" index bench --index "$url" --images 1 --queries 1 --no-keypoints >/dev/null
start=$(date +%s)
"${psql[@]}" <<SQL
ALTER TABLE darkroom_image_chunk DROP CONSTRAINT darkroom_image_chunk_pkey;
ALTER TABLE darkroom_image_chunk DROP CONSTRAINT darkroom_image_chunk_image_id_fkey;
DROP INDEX darkroom_image_chunk_image;
BEGIN;
CREATE TEMPORARY TABLE seed AS SELECT version, signature FROM darkroom_image LIMIT 1;
TRUNCATE darkroom_image, darkroom_image_chunk;
INSERT INTO darkroom_image (id, key, digest, flat, version, signature, phash, block0, block1, block2, block3)
  SELECT 'g' || n, 'bulk/' || n, md5(n::text), false, seed.version, seed.signature,
         ('x' || md5(n || 'p'))::BIT(64)::BIGINT, ('x' || md5(n || 'a'))::BIT(64)::BIGINT, ('x' || md5(n || 'b'))::BIT(64)::BIGINT,
         ('x' || md5(n || 'c'))::BIT(64)::BIGINT, ('x' || md5(n || 'd'))::BIT(64)::BIGINT
  FROM generate_series(1, $images) AS n, seed;
INSERT INTO darkroom_image_chunk (hash, position, value, image_id)
  SELECT 'phash21', p, floor(random() * 2097152)::int, 'g' || n FROM generate_series(1, $images) AS n, generate_series(0, 2) AS p;
INSERT INTO darkroom_image_chunk (hash, position, value, image_id)
  SELECT 'block32', p, floor(random() * 4294967296 - 2147483648)::int, 'g' || n FROM generate_series(1, $images) AS n, generate_series(0, 7) AS p;
COMMIT;
ALTER TABLE darkroom_image_chunk ADD PRIMARY KEY (hash, position, value, image_id);
CREATE INDEX darkroom_image_chunk_image ON darkroom_image_chunk (image_id);
ALTER TABLE darkroom_image_chunk ADD FOREIGN KEY (image_id) REFERENCES darkroom_image (id) ON DELETE CASCADE NOT VALID;
VACUUM ANALYZE darkroom_image;
VACUUM ANALYZE darkroom_image_chunk;
SQL
echo "bulk load of $images images: $(( $(date +%s) - start )) s" >&2
"${psql[@]}" -At -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('postgres')) || ', ' || pg_database_size('postgres') / $images || ' bytes an image'" >&2
echo "first round (cold caches):" >&2
"$darkroom" index bench --index "$url" --images 20000 --queries 1000 --no-keypoints
echo "second round (warm):" >&2
"$darkroom" index bench --index "$url" --images 20000 --queries 1000 --no-keypoints
