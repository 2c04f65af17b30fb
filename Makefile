# Darkroom: `make run` to try it, `make test` for the whole suite, `make bench` for the benchmarks.
SWIFT ?= swift
DATA ?= ./data

.PHONY: run test bench build release clean

## Installs what is missing, builds in release mode and runs the demo over the bundled images.
run: release
	@mkdir -p $(DATA)/out
	.build/release/darkroom process --recipe 'rs:fit:800:800/q:82' --output $(DATA)/out examples/images
	@echo "Thumbnails are in $(DATA)/out. Try: .build/release/darkroom transform examples/images/rocket.jpg $(DATA)/out/rocket.webp --recipe 'rs:fill:400:300/g:sm'"

## Installs what is missing and runs every test.
test:
	scripts/bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Builds and runs the benchmarks against libvips, ImageMagick and Pillow.
bench:
	scripts/bootstrap bench
	$(SWIFT) build -c release --product darkroom
	bench/run

build:
	scripts/bootstrap
	$(SWIFT) build

release:
	scripts/bootstrap
	$(SWIFT) build -c release --product darkroom

clean:
	rm -rf .build $(DATA)/out
