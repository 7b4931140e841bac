# The catalogue service (FastAPI + SQLModel). The Rasa image comes with the assistant's issue.
FROM python:3.11.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VEIVISER_HOST=0.0.0.0
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service_catalog ./service_catalog
# The codes shared with the assistant (standard library only); pyproject.toml packages it with the catalogue.
COPY veiviser_contract ./veiviser_contract
COPY data ./data
RUN pip install --no-cache-dir . && useradd --system --uid 10001 veiviser && mkdir -p /app/var && chown veiviser /app/var
USER veiviser
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["sh", "-c", "veiviser setup && veiviser serve"]
