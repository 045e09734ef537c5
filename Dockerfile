# syntax=docker/dockerfile:1
#
# The `bulwark` service image: built on the official Swift image, run on a slim Debian of the same release
# (bookworm) so that the hiredis headers we build against and the library we run with are the same 0.14.1.
#
#   docker build -t bulwark .
#   docker run --rm -p 8080:8080 -e REDIS_URL=redis://redis.example:6379 -e BULWARK_ADMIN_TOKEN=… bulwark
#
# Without Redis the service still starts, on its local in-memory fallback, and says so on /health.

# ---- build ------------------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build

RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libhiredis-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first, so that they are fetched again only when the manifest changes. `Package.*` also takes
# a local Package.resolved when there is one (it is not committed), which pins the versions resolved. The
# cache mount keeps .build (checkouts and objects) between builds; both RUNs share it.
COPY Package.* ./
RUN --mount=type=cache,target=/build/.build swift package resolve

# Tests/ is copied too: SwiftPM checks every target the manifest declares, test targets included.
COPY Sources ./Sources
COPY Tests ./Tests

# --static-swift-stdlib links the Swift runtime and Foundation into the binary, so the runtime image needs no
# Swift toolchain: only libhiredis and what Debian's slim image already has (libc, libstdc++, zlib).
# Resource bundles, if a target ever gets some, must sit next to the executable.
RUN --mount=type=cache,target=/build/.build \
    swift build -c release --product bulwark --static-swift-stdlib \
    && mkdir -p /staging \
    && bin="$(swift build -c release --show-bin-path)" \
    && cp "$bin/bulwark" /staging/ \
    && find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/ \;

# ---- run --------------------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# libhiredis0.14 is the run-time half of the libhiredis-dev (0.14.1) the build stage compiled against.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libhiredis0.14 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin bulwark

WORKDIR /app
# Owned by root: the service can run its binary but not change it.
COPY --from=build /staging /app
ENV PATH="/app:${PATH}"

# Inside a container the service must listen on every interface, not only on loopback (its default).
ENV BULWARK_HOST=0.0.0.0

USER bulwark:bulwark
EXPOSE 8080

# bash is in the slim image and can speak HTTP over /dev/tcp: no curl is installed for this one request.
# /health/live answers 200 while the process serves requests, whether Redis is up or not (readiness and
# Redis are /health/ready's and /health's business), so a Redis outage never gets the container restarted.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${BULWARK_PORT:-8080} && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# SIGTERM (Docker's default stop signal) starts the graceful shutdown: stop accepting, finish in-flight
# requests, flush breaker outcomes, deregister. Give `docker stop -t` more than BULWARK_SHUTDOWN_GRACE_S.
ENTRYPOINT ["bulwark"]
CMD ["serve"]
