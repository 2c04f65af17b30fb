# Darkroom: `make run` to try it, `make test` for the whole suite, `make bench` for the benchmarks.
SWIFT ?= swift
DATA ?= ./data

# The pixel engine. `wheel` (the default): libvips 8.18 from the pyvips-binary wheel, unpacked
# by scripts/bootstrap into .libvips/. `system`: the distribution's libvips (for packagers),
# built in its own scratch folder so the two never share objects.
LIBVIPS ?= wheel
export LIBVIPS
ifeq ($(LIBVIPS),system)
SWIFT_BUILD_FLAGS := --scratch-path .build-system
BUILD := .build-system
else
export PKG_CONFIG_PATH := $(CURDIR)/.libvips/lib/pkgconfig
# The tests check that this is the libvips they run on (read when each command runs, so
# after bootstrap has installed it on a fresh clone).
export DARKROOM_EXPECT_LIBVIPS = $(shell cut -d' ' -f1 .libvips/VERSION 2>/dev/null)
SWIFT_BUILD_FLAGS :=
BUILD := .build
endif

.PHONY: run demo test bench build release clean engine image image-rootfs image-binary cluster cluster-stop soak

## Installs what is missing, builds in release mode and serves the demo images from ./data,
## with the example pipelines loaded and `web` run on every upload (SQLite queue in ./data).
run: release
	@mkdir -p $(DATA)/demo
	@cp -n examples/images/* $(DATA)/demo/ 2>/dev/null || true
	@echo "Serving $(DATA) on http://127.0.0.1:8080 (Ctrl-C stops). Try:"
	@echo "  http://127.0.0.1:8080/unsafe/rs:fill:400:300/g:sm/plain/local:///demo/rocket.jpg"
	@echo "  http://127.0.0.1:8080/unsafe/rs:fit:300:300/f:webp/plain/local:///demo/coffee.png"
	@echo "  http://127.0.0.1:8080/unsafe/info/plain/local:///demo/grace_hopper.jpg"
	@echo "  http://127.0.0.1:8080/unsafe/rs:fill:300:150/g:face/plain/local:///demo/grace_hopper.jpg   (face-aware crop)"
	@echo "  http://127.0.0.1:8080/unsafe/rs:fit:400:400/bd:15:face/plain/local:///demo/grace_hopper.jpg   (faces blurred)"
	@echo "  http://127.0.0.1:8080/iiif/3/demo%2Frocket.jpg/info.json"
	@echo "  http://127.0.0.1:8080/iiif/3/demo%2Frocket.jpg/full/!300,300/0/gray.webp"
	@echo "  curl --data-binary @examples/images/rocket.jpg http://127.0.0.1:8080/v1/images   (then GET /v1/jobs/<id>)"
	$(BUILD)/release/darkroom serve --local-root $(DATA) --storage file:$(DATA) --queue sqlite:$(DATA)/queue.db \
		--pipelines examples/pipelines --on-upload web

## Runs the batch demo: a recipe over the bundled images into ./data/out.
demo: release
	@mkdir -p $(DATA)/out
	$(BUILD)/release/darkroom process --recipe 'rs:fit:800:800/q:82' --output $(DATA)/out examples/images

## Installs what is missing and runs every test, with a real S3 server (SeaweedFS) running.
test:
	scripts/bootstrap
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	$(MAKE) --no-print-directory engine CONFIGURATION=debug
	@# Two kinds of suite run alone, after the rest, so that their timings measure what they
	@# test and not the other 150 suites: those bounded by the wall clock across processes
	@# (real-time ffmpeg senders, fail-over within 10 s, worker crash recovery, start-up
	@# deadlines), one suite at a time, then the chaos tests (a cluster of their own under load).
	scripts/test-servers sh -c '$(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS) --skip ClusterChaosTests --skip "$(TIMED_SUITES)" \
		&& $(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS) --no-parallel --filter "$(TIMED_SUITES)" \
		&& $(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS) --filter ClusterChaosTests'

# The suites whose bounds are wall-clock time across processes: under the main phase's load
# (a load average of 20 to 30 on two cores) a worker or server process could take 30 s to
# start, and these failed for it, not for what they test.
TIMED_SUITES = LiveStreamTests|StreamRunnerTests|StreamsCommandTests|VideoPrivacyTests|WorkerCommandTests|StartupFailureTests|DeploymentTests

## Builds and runs the benchmarks against libvips, ImageMagick, Pillow, thumbor and boto3.
bench:
	scripts/bootstrap bench
	$(SWIFT) build -c release --product darkroom $(SWIFT_BUILD_FLAGS)
	$(SWIFT) build -c release --product darkroom-video $(SWIFT_BUILD_FLAGS)
	$(MAKE) --no-print-directory engine CONFIGURATION=release
	bench/run $(BUILD)/release/darkroom

build:
	scripts/bootstrap
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	$(MAKE) --no-print-directory engine CONFIGURATION=debug

## darkroom-video, the video decoder process, goes beside darkroom, where it is looked for.
release:
	scripts/bootstrap
	$(SWIFT) build -c release --product darkroom $(SWIFT_BUILD_FLAGS)
	$(SWIFT) build -c release --product darkroom-video $(SWIFT_BUILD_FLAGS)
	$(MAKE) --no-print-directory engine CONFIGURATION=release

## Puts the engine beside the binaries, in lib/, where their rpath ($ORIGIN/lib) looks for it:
## a copied darkroom with its lib/ folder runs anywhere.
engine:
ifneq ($(LIBVIPS),system)
	@bin=$$($(SWIFT) build -c $(CONFIGURATION) --show-bin-path $(SWIFT_BUILD_FLAGS)) && \
		mkdir -p "$$bin/lib" && cp -u .libvips/lib/libvips-*.so.42 .libvips/LICENSES "$$bin/lib/"
endif

## Builds the container image without Docker or a registry: a release binary with the Swift
## runtime linked in, then scripts/image, which assembles the root file system from Debian's
## packages and writes .build-image/image/darkroom-VERSION-oci.tar (`podman load -i` it).
## VIDEO=1 makes the video image instead: darkroom-video and Debian's FFmpeg beside darkroom
## (darkroom-VERSION-video-oci.tar; docs/deploy.md has the sizes).
IMAGE_BUILD := .build-image
# No exported symbol table (5 MB nothing reads): the image's size (docs/deploy.md has the numbers).
IMAGE_FLAGS := -c release --static-swift-stdlib --scratch-path $(IMAGE_BUILD) -Xlinker --no-export-dynamic
IMAGE_VIDEO := $(if $(VIDEO),--video,)
image: image-binary
	scripts/image $(IMAGE_VIDEO) $(IMAGE_BUILD)/release/darkroom $(IMAGE_BUILD)/image

## The image's root file system alone, in $(ROOTFS): the Dockerfile's build stage runs this.
image-rootfs: image-binary
	scripts/image --rootfs-only $(IMAGE_VIDEO) $(IMAGE_BUILD)/release/darkroom $(ROOTFS)

image-binary:
	scripts/bootstrap image
	$(SWIFT) build --product darkroom $(IMAGE_FLAGS)
	$(if $(VIDEO),$(SWIFT) build --product darkroom-video $(IMAGE_FLAGS))
	@mkdir -p $(IMAGE_BUILD)/release/lib && cp -u .libvips/lib/libvips-*.so.42 .libvips/LICENSES $(IMAGE_BUILD)/release/lib/

## A cluster on the loopback: PostgreSQL, SeaweedFS, 2 serve nodes behind HAProxy and 3 workers
## (scripts/cluster; state and logs in .cluster/). `scripts/cluster scrape` reads every node's metrics.
cluster: build
	scripts/cluster start $(BUILD)/debug/darkroom

cluster-stop:
	scripts/cluster stop

## Ten minutes of mixed traffic on a local cluster: renders, uploads with pipelines, IIIF tiles;
## fails on a 5xx or a process whose memory grows more than 10% after warm-up (outside CI).
soak: build
	scripts/soak 10 $(BUILD)/debug/darkroom

clean:
	rm -rf .build .build-system .build-image .cluster $(DATA)/out
