"""Partner API client used by the sync workers.

Correctness fix: malformed requests are rejected, permanent answers (2xx, 4xx) are final,
bodies are read by their content type, and transient failures are retried a bounded number of
times. It retries straight away and keeps no memory between calls.
"""
import json
from urllib.parse import urlsplit

MAX_ATTEMPTS = 5
METHODS = {"GET", "HEAD", "PUT", "DELETE", "POST", "PATCH"}
TRANSIENT_STATUS = {429, 500, 502, 503, 504}


def header(headers, name):
    for key, value in (headers or {}).items():
        if isinstance(key, str) and key.lower() == name:
            return value
    return None


def valid(request):
    if not isinstance(request, dict) or not isinstance(request.get("id"), str) or not request["id"]:
        return False
    if request.get("method") not in METHODS or not isinstance(request.get("headers", {}), dict):
        return False
    if request.get("body") is not None and not isinstance(request["body"], str):
        return False
    url = request.get("url")
    return isinstance(url, str) and url.startswith(("http://", "https://")) and bool(urlsplit(url).netloc)


def fetch_all(requests, state):
    return {"results": [send(request) for request in requests]}


def send(request):
    if not valid(request):
        request_id = request.get("id") if isinstance(request, dict) and isinstance(request.get("id"), str) else None
        return {"id": request_id, "ok": False, "status": None, "data": None, "error": "invalid_request", "attempts": 0}
    outcome = {"id": request["id"], "ok": False, "status": None, "data": None, "error": None, "attempts": 0}
    while outcome["attempts"] < MAX_ATTEMPTS:
        outcome["attempts"] += 1
        try:
            response = transport(request)
        except TimeoutError:
            outcome.update(status=None, error="timeout")
            continue
        except ConnectionError:
            outcome.update(status=None, error="connection_error")
            continue
        status = response["status"]
        outcome["status"] = status
        if status in TRANSIENT_STATUS:
            outcome["error"] = "rate_limited" if status == 429 else "server_error"
            continue
        if status >= 400:
            outcome["error"] = "client_error"
            return outcome
        body = response.get("body") or ""
        media = (header(response.get("headers"), "content-type") or "").split(";")[0].strip().lower()
        if media == "application/json" or media.endswith("+json"):
            try:
                outcome.update(ok=True, data=json.loads(body) if body.strip() else None, error=None)
            except ValueError:
                outcome["error"] = "invalid_body"
        else:
            outcome.update(ok=True, data=body, error=None)
        return outcome
    return outcome
