"""Stage 7, serve: the HTTP API (FastAPI) and the analyst's page (plain HTML/CSS/JS in static/)."""
