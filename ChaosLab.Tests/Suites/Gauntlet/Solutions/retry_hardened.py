"""Partner API client: sends a batch of requests and returns one result per request, in order.

Hardened: permanent errors are returned at once, transient ones retried with capped exponential
backoff or as long as Retry-After asks, writes are never replayed blind, each host has a circuit
breaker and each call a retry budget (both in `state`, which survives between calls), and the
telemetry counts what really happened.
"""
import json
from urllib.parse import urlsplit

MAX_ATTEMPTS = 5          # per request, the first attempt included
BACKOFF_BASE = 0.5        # seconds before the first retry, doubled before each further one
BACKOFF_CAP = 3.0         # the delay never exceeds this
MAX_RETRY_AFTER = 30.0    # a longer Retry-After is not waited for
RETRY_BUDGET = 10         # retries per call of fetch_all, over all requests
BREAKER_THRESHOLD = 5     # consecutive failed attempts on a host that open its breaker
BREAKER_COOL_DOWN = 30.0  # seconds an open breaker refuses before one probe is let through

METHODS = {"GET", "HEAD", "PUT", "DELETE", "POST", "PATCH"}
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE"}
TRANSIENT_STATUS = {429, 500, 502, 503, 504}


def header(headers, name):
    """A header's value by case-insensitive name, or None."""
    for key, value in (headers or {}).items():
        if isinstance(key, str) and key.lower() == name:
            return value
    return None


def host_of(request):
    """The request's host, or None when the request is malformed."""
    if not isinstance(request, dict) or not isinstance(request.get("id"), str) or not request["id"]:
        return None
    if request.get("method") not in METHODS or not isinstance(request.get("headers", {}), dict):
        return None
    url = request.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    if request.get("body") is not None and not isinstance(request.get("body"), str):
        return None
    return urlsplit(url).netloc or None


def retry_after(response):
    """Seconds the server asked us to wait, or None."""
    value = header(response.get("headers"), "retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        pass
    # Imported here: email.utils costs ~10 ms to import, and each call runs in a fresh process.
    from email.utils import parsedate_to_datetime
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError, IndexError):
        return None


def parse(response):
    """(ok, data, error) of a response that ends the request."""
    status = response.get("status")
    if not isinstance(status, int):
        return False, None, "server_error"
    if 200 <= status < 300:
        body = response.get("body") or ""
        media = (header(response.get("headers"), "content-type") or "").split(";")[0].strip().lower()
        if media == "application/json" or media.endswith("+json"):
            if not body.strip():
                return True, None, None
            try:
                return True, json.loads(body), None
            except ValueError:
                return False, None, "invalid_body"
        return True, body, None
    if status == 429:
        return False, None, "rate_limited"
    return False, None, "server_error" if status >= 500 else "client_error"


class Breakers:
    """Per-host circuit breakers kept in the state as plain data: {host: [failures, open_until]}."""

    def __init__(self, state, telemetry):
        self.hosts = state.setdefault("breakers", {})
        self.telemetry = telemetry

    def allows(self, host):
        entry = self.hosts.get(host)
        return entry is None or entry[1] is None or now() >= entry[1]

    def record(self, host, failed):
        failures, open_until = self.hosts.get(host, [0, None])
        if not failed:
            if open_until is not None:
                self.telemetry["breaker_closed"] += 1
            self.hosts.pop(host, None)  # a healthy host needs no memory: the state stays bounded
            return
        if open_until is not None or failures + 1 >= BREAKER_THRESHOLD:
            self.hosts[host] = [0, now() + BREAKER_COOL_DOWN]
            self.telemetry["breaker_opened"] += 1
        else:
            self.hosts[host] = [failures + 1, None]

    def is_open(self, host):
        entry = self.hosts.get(host)
        return entry is not None and entry[1] is not None


def fetch_all(requests, state):
    telemetry = {"requests": len(requests), "attempts": 0, "retries": 0, "succeeded": 0, "failed": 0,
                 "slept": 0.0, "breaker_opened": 0, "breaker_closed": 0}
    breakers = Breakers(state, telemetry)
    results = [send(request, breakers, telemetry) for request in requests]
    for result in results:
        telemetry["succeeded" if result["ok"] else "failed"] += 1
    return {"results": results, "telemetry": telemetry}


def send(request, breakers, telemetry):
    host = host_of(request)
    request_id = request.get("id") if isinstance(request, dict) and isinstance(request.get("id"), str) else None
    if host is None:
        return result(request_id, error="invalid_request")
    replayable = request["method"] in IDEMPOTENT or bool(header(request.get("headers"), "idempotency-key"))
    attempts = 0
    while True:
        if not breakers.allows(host):
            return result(request_id, error="circuit_open", attempts=attempts)
        if attempts > 0:
            telemetry["retries"] += 1
        attempts += 1
        telemetry["attempts"] += 1
        try:
            response = transport(request)
        except (ConnectionError, TimeoutError) as error:
            breakers.record(host, failed=True)
            code = "timeout" if isinstance(error, TimeoutError) else "connection_error"
            # The server may have applied a write it never answered: replaying it could apply it twice.
            if not replayable or not may_retry(attempts, telemetry, breakers, host):
                return result(request_id, error=code, attempts=attempts)
            wait(backoff(attempts), telemetry)
            continue
        status = response.get("status") if isinstance(response, dict) else None
        breakers.record(host, failed=not isinstance(status, int) or status >= 500)
        if status not in TRANSIENT_STATUS:
            ok, data, error = parse(response if isinstance(response, dict) else {})
            return result(request_id, ok, status, data, error, attempts)
        asked = retry_after(response)
        if (asked is not None and asked > MAX_RETRY_AFTER) or not may_retry(attempts, telemetry, breakers, host):
            return result(request_id, status=status, error=parse(response)[2], attempts=attempts)
        wait(asked if asked is not None else backoff(attempts), telemetry)


def may_retry(attempts, telemetry, breakers, host):
    return attempts < MAX_ATTEMPTS and telemetry["retries"] < RETRY_BUDGET and not breakers.is_open(host)


def backoff(retry):
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (retry - 1))


def wait(seconds, telemetry):
    if seconds > 0:
        sleep(seconds)
        telemetry["slept"] += seconds


def result(request_id, ok=False, status=None, data=None, error=None, attempts=0):
    return {"id": request_id, "ok": ok, "status": status, "data": data, "error": error, "attempts": attempts}
