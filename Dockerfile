# Darkroom's container image, for machines with a registry and a Docker or BuildKit engine:
#
#   docker build -t darkroom .
#   docker build --build-arg VIDEO=1 -t darkroom:video .    (with darkroom-video and FFmpeg)
#   docker run --read-only -p 8080:8080 -v darkroom-data:/data --tmpfs /tmp darkroom
#
# Both stages run the project's own scripts, so the result has the same contents as
# `make image`, which builds it without Docker (scripts/image explains the root file system:
# the stripped binary, the engine and only the Debian libraries and data it loads).
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
ARG VIDEO=
WORKDIR /src
COPY . .
RUN scripts/bootstrap image && make image-rootfs ROOTFS=/rootfs VIDEO=${VIDEO}

# No shell and no package manager: only what the binary needs.
FROM scratch
COPY --from=build /rootfs /
ARG VERSION=0.3.0
ARG ENGINE="libvips 8.18.7"
LABEL org.opencontainers.image.title="darkroom" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      io.darkroom.engine="${ENGINE}"
ENV DARKROOM_BIND=0.0.0.0 \
    DARKROOM_STORAGE=file:/data \
    DARKROOM_QUEUE=sqlite:/data/queue.db \
    DARKROOM_LOCAL_ROOT=/data \
    DARKROOM_FACE_MODELS=/opt/darkroom/models/faces \
    TMPDIR=/tmp
USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["/opt/darkroom/darkroom", "health"]
ENTRYPOINT ["/opt/darkroom/darkroom"]
CMD ["serve"]
