# The knowledge-base API (and the `kb` command line) as a container image.
# Built by docker-compose.yml for the `api` and `loader` services; on its own:
#   docker build -t legal-kb .
#   docker run --rm -p 8000:8000 -e NEO4J_URI=bolt://host:7687 -e NEO4J_PASSWORD=... legal-kb
# Without NEO4J_URI the container falls back to the embedded FalkorDB under /var/lib/kb.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Install the package itself (not an editable install: the ontology ships as package data).
WORKDIR /src
COPY . .
RUN pip install . \
    && cd / && rm -rf /src

# Run as an unprivileged user; the embedded store (used only when NEO4J_URI is unset) keeps
# its data here.
RUN useradd --system --create-home --home-dir /var/lib/kb --shell /usr/sbin/nologin kb
ENV KB_DATA_DIR=/var/lib/kb
WORKDIR /var/lib/kb
USER kb

EXPOSE 8000
CMD ["kb", "serve", "--host", "0.0.0.0", "--port", "8000"]
