# The server image: `docker build -t backprop .` then `docker run -p 8000:8000 -e WORKERS=2 backprop`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WORKERS=1 \
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    BACKPROP_DATA_DIR=/srv/data
WORKDIR /srv/backprop

COPY pyproject.toml README.md ./
COPY engine ./engine
COPY app ./app
COPY templates ./templates
COPY static ./static
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 backprop \
    && mkdir -p /srv/data && chown backprop /srv/data
# Saved states (SQLite) when no Redis is set.
VOLUME /srv/data

USER backprop
EXPOSE 8000
CMD ["sh", "-c", "exec python -m app.serve --host 0.0.0.0 --port 8000 --workers \"$WORKERS\""]
