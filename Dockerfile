# syntax=docker/dockerfile:1
# One image for every role, chosen by the command:
#   reelestate serve --host 0.0.0.0 --port 8000     the web app (default)
#   reelestate worker --queue cpu                   render workers
#   reelestate worker --queue gpu                   generation workers (see Dockerfile.gpu)
#   reelestate bot                                  the Telegram bot (long polling)
#   reelestate db upgrade                           migrations, once per release
# Dependencies come from requirements/runtime.txt with every hash checked; the package itself
# from a wheel built in the first stage, so the runtime image holds no build tools or sources.

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/runtime.txt requirements/runtime.txt
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes --no-deps -r requirements/runtime.txt
COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/venv/bin/pip wheel --no-deps --wheel-dir /dist . \
    && /opt/venv/bin/pip install --no-deps /dist/*.whl

FROM ${PYTHON_IMAGE} AS runtime
# FFmpeg encodes, espeak-ng is the embedded voice, DejaVu the captions' fallback font, tini
# forwards SIGTERM so workers hand their jobs back. Debian's security updates are taken as they
# come, so the packages are not pinned by version.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ffmpeg espeak-ng libespeak-ng1 fonts-dejavu-core tini \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 reelestate \
    && useradd --system --uid 10001 --gid reelestate --home-dir /var/lib/reelestate \
        --create-home reelestate
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REELESTATE_DATA_DIR=/var/lib/reelestate \
    REELESTATE_WORKER_HEALTH_PORT=9100
WORKDIR /var/lib/reelestate
USER 10001:10001
EXPOSE 8000 9100
# The web app answers on 8000; a worker on its health port (9100). Either counts as healthy.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u\nfor port in ('8000', '9100'):\n    try:\n        u.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=3)\n        sys.exit(0)\n    except OSError:\n        pass\nsys.exit(1)"]
ENTRYPOINT ["tini", "--", "reelestate"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "1"]
