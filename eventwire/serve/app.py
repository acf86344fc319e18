"""Stage 7, serve: the HTTP API and the analyst's page.

`create_app(db, token, host)` builds a FastAPI app over a store. Reads go
through `eventwire.store.queries`; this module only validates parameters,
shapes responses (JSON, CSV, JSONL) and guards the write endpoints. The page
in `static/` is plain HTML/CSS/JS served from the same origin, under a
Content-Security-Policy that forbids inline and foreign scripts: article text
is untrusted.

Every request must name an allowed Host (the address served and its loopback
aliases), which closes DNS rebinding. Write requests are refused when the
browser says they come from another site (Origin, Sec-Fetch-Site), and need
either the bearer token or the page's CSRF token (`X-CSRF-Token`, embedded in
the page and given by `GET /api/csrf`, which no other origin can read).
"""

from __future__ import annotations

import csv
import hmac
import io
import ipaddress
import json
import re
import secrets
import socket
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, File, Form, Header, HTTPException, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from eventwire.model import CERTAINTIES, PLOVER_TYPES
from eventwire.store import Store, queries
from eventwire.store.queries import Filters, Listing, Page

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 10 * 1024 * 1024  # one upload request: files and pasted text together
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD = frozenset({"0.0.0.0", "::", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_META = '<meta name="eventwire-csrf" content="">'
# Query values are kept inside what SQLite's 64-bit integers and Python's dates can hold, with room to spare.
DATE_MIN, DATE_MAX = date(1000, 1, 1), date(2999, 12, 31)
MAX_OFFSET = 1_000_000_000
MAX_ROWID = 2**63 - 1
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
FORMATS = "^(json|csv|jsonl)$"


# -- middleware (plain ASGI, so streaming downloads stay streams) --------------------------------------------


class SecurityHeaders:
    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _host_name(value: str) -> str:
    """The host part of a Host header or URL netloc, lower case, without port or IPv6 brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """Host names a request may name: the address served, its loopback aliases and `extra`.

    Listening on every address (0.0.0.0), the machine's own names are added and
    any IP literal is accepted (see `HostGuard`): rebinding needs a DNS name.
    """
    names = {_host_name(host), *LOOPBACK, *(_host_name(h) for h in extra if h)}
    if _host_name(host) in WILDCARD:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(n for n in names if n)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _refusal(status: int, detail: str) -> list[dict]:
    body = json.dumps({"detail": detail}).encode()
    return [{"type": "http.response.start", "status": status, "headers": [  # SecurityHeaders, outside, adds the rest
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]},
        {"type": "http.response.body", "body": body}]


class HostGuard:
    """Refuse a request whose Host is not allowed (DNS rebinding), and cross-site writes, before any body is read.

    A page on another site can make a browser send a form to this server; the
    browser then says so in `Sec-Fetch-Site` (cross-site, same-site) and in
    `Origin`, which must be this server's own origin.
    """

    def __init__(self, app: Any, hosts: frozenset[str], any_ip: bool = False):
        self.app, self.hosts, self.any_ip = app, hosts, any_ip

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        refused = self.refusal(scope.get("method", "GET"), headers, scope.get("scheme", "http"))
        if refused:
            for message in _refusal(*refused):
                await send(message)
            return
        await self.app(scope, receive, send)

    def refusal(self, method: str, headers: dict[str, str], scheme: str = "http") -> tuple[int, str] | None:
        host = headers.get("host", "")
        name = _host_name(host)
        if name not in self.hosts and not (self.any_ip and _is_ip(name)):
            return 400, (f"host {host[:100]!r} is not served here (allowed: {', '.join(sorted(self.hosts))}; "
                         "add names with --allow-host)")
        if method.upper() in SAFE_METHODS:
            return None
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return 403, f"cross-site request refused (Sec-Fetch-Site: {site[:40]})"
        origin = headers.get("origin")
        if origin is not None and origin.lower().rstrip("/") != f"{scheme}://{host}".lower():
            return 403, f"cross-origin request refused (Origin: {origin[:100]})"
        return None


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, by Content-Length or by counting a chunked body."""

    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        seen, started, over = 0, False, False

        async def counting_receive() -> dict:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                over = True
                raise BodyTooLarge
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if over:  # FastAPI turns an error while reading a form into its own 400: answer 413 instead
                if not started:
                    started = True
                    await self._refuse(send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Callable) -> None:
        body = json.dumps({"detail": f"request body over the {self.max_bytes // (1024 * 1024)} MB limit"}).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


# -- parameter validation -----------------------------------------------------------------------------------


def invalid(field: str, msg: str, where: str = "query") -> HTTPException:
    """A 422 shaped like FastAPI's own validation errors, naming the field."""
    return HTTPException(422, detail=[{"loc": [where, field], "msg": msg, "type": "value_error"}])


def _country(field: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not re.fullmatch(r"[A-Za-z]{3}", value):
        raise invalid(field, "must be an ISO 3166 alpha-3 country code such as RUS")
    return value.upper()


def _iso_date(field: str, value: str | None, where: str = "query") -> date | None:
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise invalid(field, f"must be an ISO date YYYY-MM-DD from {DATE_MIN} to {DATE_MAX}", where) from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise invalid(field, f"must be a date from {DATE_MIN} to {DATE_MAX}", where)
    return day


def _iso_published(value: str) -> None:
    """A publication date or date-time in ISO 8601, else 422 naming the form field."""
    try:
        datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise invalid("published", "must be an ISO date YYYY-MM-DD or date-time", "body") from None


def _plover(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value.upper() not in PLOVER_TYPES:
        raise invalid("type", f"must be a PLOVER type: {', '.join(PLOVER_TYPES)}")
    return value.upper()


def common_filters(
    actor: str | None = Query(None, description="ISO3 country of the actor"),
    recipient: str | None = Query(None, description="ISO3 country of the recipient"),
    since: str | None = Query(None, description="first date, YYYY-MM-DD"),
    until: str | None = Query(None, description="last date, YYYY-MM-DD"),
    story: str | None = Query(None, max_length=64),
    certainty: str | None = Query(None, description=" | ".join(CERTAINTIES)),
    min_sources: int | None = Query(None, ge=1, le=1000),
    q: str | None = Query(None, max_length=500, description="full text over article titles and texts"),
) -> Filters:
    if certainty and certainty not in CERTAINTIES:
        raise invalid("certainty", f"must be one of {', '.join(CERTAINTIES)}")
    first, last = _iso_date("since", since), _iso_date("until", until)
    if first and last and first > last:
        raise invalid("until", "must not be before since")
    return Filters(actor=_country("actor", actor), recipient=_country("recipient", recipient), since=first,
                   until=last, story=story or None, certainty=certainty or None, min_sources=min_sources,
                   q=q or None)


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` in degrees (what the map sends for a place or a cluster), else 422."""
    if value is None or value == "":
        return None
    msg = "must be west,south,east,north in degrees (longitudes -180 to 180, latitudes -90 to 90)"
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise invalid("bbox", msg) from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):  # NaN fails every comparison
        raise invalid("bbox", msg)
    return west, south, east, north


def event_filters(base: Filters = Depends(common_filters),
                  type: str | None = Query(None, description="PLOVER type"),  # noqa: A002
                  bbox: str | None = Query(None, max_length=120,
                                           description="events placed in west,south,east,north (degrees)"),
                  ) -> Filters:
    return Filters(**{**base.__dict__, "type": _plover(type), "bbox": _bbox(bbox)})


def paging(limit: int | None = Query(None, ge=1, le=queries.MAX_LIMIT, description="default 50; all for downloads"),
           offset: int = Query(0, ge=0, le=MAX_OFFSET), sort: str | None = Query(None, max_length=32,
                                                                  description="column, - prefix descends"),
           format: str = Query("json", pattern=FORMATS)) -> tuple[Page, str]:  # noqa: A002
    if limit is None and format == "json":
        limit = 50
    return Page(limit=limit, offset=offset, sort=sort), format


# -- responses ----------------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    """Dates and datetimes as ISO text (what FastAPI's encoder gives), anything else as its str."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def json_body(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=_json_default, separators=(",", ":")).encode()


def json_response(data: Any = None, body: bytes | None = None, status_code: int = 200) -> Response:
    """JSON written with json.dumps: FastAPI's jsonable_encoder costs ~10x more (5 ms on a page of 50 events)."""
    return Response(body if body is not None else json_body(data), status_code=status_code,
                    media_type="application/json")


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _batched(lines: Iterator[str], size: int = 200) -> Iterator[str]:
    """Stream in blocks: one chunk per row would cost more in framing than in writing."""
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) >= size:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)


def _csv_rows(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer: csv.DictWriter | None = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(buf, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: _cell(v) for k, v in row.items()})
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    return _batched(_csv_rows(rows))


def jsonl_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    return _batched(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows)


class AggregateCache:
    """Results of whole-store aggregates, kept while the data does not change.

    The page asks for the same timeline, graph, map and facets on every view;
    over 100,000 events each costs tens of milliseconds, while checking that
    nothing changed (`queries.data_version`) costs about one. Bounded, per app.
    """

    def __init__(self, size: int = 256):
        self.size, self.items, self.version = size, OrderedDict(), None
        self.lock = threading.Lock()

    def get(self, conn: Any, key: tuple, compute: Callable[[], Any]) -> Any:
        version = queries.data_version(conn)
        with self.lock:
            if version != self.version:
                self.items.clear()
                self.version = version
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            if version == self.version:
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        return value


class Api:
    """The store and the guards one app serves with."""

    def __init__(self, db: str, token: str | None, host: str):
        self.store = Store(db)
        self.token, self.host = token, host
        self.cache = AggregateCache()
        # One per server run: the page carries it, and only a same-origin reader can learn it.
        self.csrf = secrets.token_urlsafe(32)

    def aggregate(self, name: str, fn: Callable[..., Any], f: Filters, *args: Any) -> Response:
        """The aggregate's JSON, cached already encoded: a repeated view costs one version check."""
        with self.store.connect() as conn:
            body = self.cache.get(conn, (name, f, args), lambda: json_body(fn(conn, f, *args)))
        return json_response(body=body)

    def listing(self, name: str, lister: Callable[..., Listing], f: Filters, paged: tuple[Page, str]) -> Any:
        page, fmt = paged
        try:
            if fmt == "json":
                with self.store.connect() as conn:
                    found = lister(conn, f, page)
                return json_response({"total": found.total, "total_is_estimate": found.estimate,
                                      "limit": page.limit, "offset": page.offset, "items": found.items})
            with self.store.connect() as conn:  # fail on a bad sort before streaming starts
                lister(conn, f, Page(limit=1, offset=page.offset, sort=page.sort, count_total=False))
        except queries.UnknownSort as exc:
            raise invalid("sort", str(exc)) from None
        rows = queries.iter_all(self.store.engine, lister, f, page)
        lines, media = (csv_lines(rows), "text/csv") if fmt == "csv" else (jsonl_lines(rows), "application/x-ndjson")
        return StreamingResponse(lines, media_type=f"{media}; charset=utf-8",
                                 headers={"content-disposition": f'attachment; filename="{name}.{fmt}"'})

    def one(self, what: str, getter: Callable[..., dict | None], key: str) -> Response:
        with self.store.connect() as conn:
            found = getter(conn, key)
        if found is None:
            raise HTTPException(404, detail=f"no {what} with id {key!r}")
        return json_response(found)

    def require_writer(self, authorization: str | None = Header(None),
                       x_csrf_token: str | None = Header(None)) -> None:
        """Write endpoints: a token when one is set; without one, only on a loopback address, with the CSRF token.

        A bearer token is proof enough: no other site can make a browser send an
        Authorization header here. Without one, a form forged on another site
        would need nothing but the address, so the page's CSRF token is asked for.
        """
        if self.token:
            given = (authorization or "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                raise HTTPException(401, detail="write endpoints need 'Authorization: Bearer <token>'",
                                    headers={"WWW-Authenticate": "Bearer"})
            return
        if self.host not in LOOPBACK:
            raise HTTPException(403, detail=f"the server listens on {self.host}: start it with a token "
                                            "to allow ingest and delete")
        if not hmac.compare_digest((x_csrf_token or "").encode(), self.csrf.encode()):
            raise HTTPException(403, detail=f"write requests need the {CSRF_HEADER} header: the page sends it, "
                                            "scripts get it from GET /api/csrf")


# -- the app ------------------------------------------------------------------------------------------------


def create_app(db: str, token: str | None = None, host: str = "127.0.0.1",
               allow_hosts: Iterable[str] = ()) -> FastAPI:
    """The app over store `db`; `allow_hosts` adds names the server is reached by (a proxy's, a LAN name)."""
    api = Api(db, token, host)
    queries.ensure_read_indexes(api.store.engine)
    queries.ensure_summaries(api.store.engine)
    app = FastAPI(title="eventwire", version="1", docs_url=None, redoc_url=None,
                  description="Events, entities, claims and stories extracted from news, with their evidence.")
    _read_routes(app, api)
    _aggregate_routes(app, api)
    _write_routes(app, api)
    _page_routes(app, api)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(HostGuard, hosts=allowed_hosts(host, allow_hosts), any_ip=_host_name(host) in WILDCARD)
    app.add_middleware(SecurityHeaders)
    app.state.api = api
    return app


def _read_routes(app: FastAPI, api: Api) -> None:
    @app.get("/api/articles", tags=["lists"])
    def list_articles(f: Filters = Depends(event_filters), outlet: str | None = Query(None, max_length=256),
                      language: str | None = Query(None, pattern="^[a-z]{2,3}$",
                                                   description="ISO 639-1 code of the article's language"),
                      coded: bool | None = Query(None, description="false: articles in another language, "
                                                 "stored but not coded"),
                      paged: tuple = Depends(paging)) -> Any:
        """Articles, newest first; actor/recipient/type/certainty keep articles reporting such an event."""
        return api.listing("articles", queries.list_articles,
                           Filters(**{**f.__dict__, "outlet": outlet, "language": language, "coded": coded}), paged)

    @app.get("/api/articles/{key}", tags=["items"])
    def get_article(key: str = PathParam(max_length=128)) -> Response:
        """One article: metadata, cleaned text, the whole eventwire/1 record and its events."""
        return api.one("article", queries.get_article, key)

    @app.get("/api/events", tags=["lists"])
    def list_events(f: Filters = Depends(event_filters), paged: tuple = Depends(paging)) -> Any:
        """Merged events when stories are built, else event mentions."""
        return api.listing("events", queries.list_events, f, paged)

    @app.get("/api/events/{event_id}", tags=["items"])
    def get_event(event_id: str = PathParam(max_length=128)) -> Response:
        """One event (merged id, or m<N> for a mention) with every report and its evidence highlights."""
        mention = re.fullmatch(r"m(\d+)", event_id)
        if mention and (len(mention.group(1)) > 19 or int(mention.group(1)) > MAX_ROWID):
            raise invalid("event_id", f"a mention id is m<N> with N at most {MAX_ROWID}", "path")
        return api.one("event", queries.get_event, event_id)

    @app.get("/api/mentions", tags=["lists"])
    def list_mentions(f: Filters = Depends(event_filters), paged: tuple = Depends(paging)) -> Any:
        """Events as each article reports them."""
        return api.listing("mentions", queries.list_mentions, f, paged)

    @app.get("/api/entities", tags=["lists"])
    def list_entities(f: Filters = Depends(common_filters), type: str | None = Query(None),  # noqa: A002
                      country: str | None = Query(None), paged: tuple = Depends(paging)) -> Any:
        """Entities with the number of articles naming them; q matches the name."""
        if type and not re.fullmatch(r"[A-Za-z_]{2,24}", type):
            raise invalid("type", "must be an entity type such as PERSON or ORG")
        f = Filters(**{**f.__dict__, "type": type.upper() if type else None,
                       "country": _country("country", country)})
        return api.listing("entities", queries.list_entities, f, paged)

    @app.get("/api/claims", tags=["lists"])
    def list_claims(f: Filters = Depends(common_filters), paged: tuple = Depends(paging)) -> Any:
        """Who says what, with cue, channel and certainty."""
        return api.listing("claims", queries.list_claims, f, paged)

    @app.get("/api/stories", tags=["lists"])
    def list_stories(f: Filters = Depends(common_filters), paged: tuple = Depends(paging)) -> Any:
        """Stories (clusters of articles on one development), most recent first."""
        return api.listing("stories", queries.list_stories, f, paged)

    @app.get("/api/stories/{story_id}", tags=["items"])
    def get_story(story_id: str = PathParam(max_length=128)) -> Response:
        """One story with its articles and events."""
        return api.one("story", queries.get_story, story_id)


def _aggregate_routes(app: FastAPI, api: Api) -> None:
    @app.get("/api/timeline", tags=["aggregates"])
    def timeline(f: Filters = Depends(event_filters)) -> Response:
        """Events per day per type."""
        return api.aggregate("timeline", queries.timeline, f)

    @app.get("/api/graph", tags=["aggregates"])
    def graph(f: Filters = Depends(event_filters), by: str = Query("country", pattern="^(country|actor)$"),
              max_edges: int = Query(200, ge=1, le=1000)) -> Response:
        """Countries (or actor names) as nodes, events as edges counted per type."""
        return api.aggregate("graph", queries.graph, f, by, max_edges)

    @app.get("/api/map", tags=["aggregates"])
    def event_map(f: Filters = Depends(event_filters)) -> Response:
        """Event locations with counts."""
        return api.aggregate("map", queries.map_points, f)

    @app.get("/api/facets", tags=["aggregates"])
    def facets() -> Response:
        """Types and countries that occur, with counts, for the page's filters."""
        return api.aggregate("facets", lambda conn, _f: queries.facet_values(conn), Filters())


def _write_routes(app: FastAPI, api: Api) -> None:
    @app.post("/api/ingest", tags=["write"], dependencies=[Depends(api.require_writer)])
    def ingest(text: str | None = Form(None), title: str | None = Form(None), url: str | None = Form(None),
               outlet: str | None = Form(None), published: str | None = Form(None),
               files: list[UploadFile] = File(default=[])) -> JSONResponse:
        """Paste an article or upload files; each is cleaned, analysed, extracted, stored and linked."""
        if published:
            _iso_published(published)
        meta = {"title": title, "url": url, "outlet": outlet, "published": published}
        uploads = [(u.filename or "upload", u.file.read()) for u in files]
        if not (text and text.strip()) and not uploads:
            raise invalid("text", "paste an article or upload at least one file", "body")
        from eventwire.serve.ingest import ingest_uploads  # loads the pipeline (and spaCy) only when used

        report = ingest_uploads(api.store, text, meta, uploads)
        return JSONResponse(report, status_code=200 if report["stored"] or report["duplicates"] else 422)

    @app.delete("/api/articles/{key}", tags=["write"], dependencies=[Depends(api.require_writer)])
    def delete_article(key: str = PathParam(max_length=128)) -> dict:
        """Remove an article and everything extracted from it."""
        with api.store.engine.begin() as conn:
            if not queries.delete_article(conn, key):
                raise HTTPException(404, detail=f"no article with id {key!r}")
        return {"deleted": key}


def _page_routes(app: FastAPI, api: Api) -> None:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    if CSRF_META not in page:
        raise RuntimeError("static/index.html lost its CSRF meta tag")
    page = page.replace(CSRF_META, f'<meta name="eventwire-csrf" content="{api.csrf}">')

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        """The page, with this run's CSRF token in a meta tag (never cached: a restart makes a new one)."""
        return HTMLResponse(page, headers={"cache-control": "no-store"})

    @app.get("/api/csrf", tags=["write"])
    def csrf() -> Response:
        """The token that write requests send in X-CSRF-Token (only same-origin scripts can read it)."""
        return JSONResponse({"header": CSRF_HEADER, "token": api.csrf}, headers={"cache-control": "no-store"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        """The API reference, drawn offline from /openapi.json (no CDN, so not Swagger UI)."""
        return FileResponse(STATIC / "docs.html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          allow_hosts: Iterable[str] = ()) -> None:
    """Run the server (what `eventwire serve` calls)."""
    import uvicorn

    uvicorn.run(create_app(db, token, host, allow_hosts), host=host, port=port)
