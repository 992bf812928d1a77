# syntax=docker/dockerfile:1
# The newswatch image: the crawler/scheduler, the API and the setup steps.
# Build stage: resolve the pinned dependencies into a virtualenv (wheels only:
# nothing is compiled, so the final image needs no build tools).
FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/newswatch
COPY deploy/requirements.lock ./
RUN /opt/newswatch/bin/pip install --only-binary=:all: -r requirements.lock
COPY pyproject.toml README.md ./
COPY crawler ./crawler
COPY scheduler ./scheduler
COPY index_mappings ./index_mappings
RUN /opt/newswatch/bin/pip install --no-deps --no-build-isolation .

FROM python:3.11.11-slim-bookworm
LABEL org.opencontainers.image.title="newswatch" \
      org.opencontainers.image.description="Media-monitoring crawler with syndicated-copy de-duplication" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/opt/newswatch/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    NEWSWATCH_STATE_DIR=/var/lib/newswatch
RUN groupadd --system --gid 10001 newswatch \
 && useradd --system --uid 10001 --gid newswatch --home-dir /var/lib/newswatch --create-home newswatch
COPY --from=build /opt/newswatch /opt/newswatch
# The index mappings travel inside the package; the default config is copied out so
# that compose can mount the operator's config over /etc/newswatch/newswatch.yaml.
WORKDIR /opt/newswatch/app
COPY crawler/config/default.yaml /etc/newswatch/newswatch.yaml
USER 10001:10001
VOLUME ["/var/lib/newswatch"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["newswatch", "health", "--config", "/etc/newswatch/newswatch.yaml"]
CMD ["newswatch", "schedule", "--config", "/etc/newswatch/newswatch.yaml"]
