"""Partner API client used by the sync workers.

Hotfix after the retry storm: at most 3 retries per request with a pause between them, so a
dead partner can no longer pin the worker.
"""
import json

MAX_RETRIES = 3
RETRY_PAUSE = 1.0  # seconds between attempts


def fetch_all(requests, state):
    results = []
    for request in requests:
        attempts = 0
        error = None
        for _ in range(1 + MAX_RETRIES):
            attempts += 1
            try:
                response = transport(request)
                if response["status"] >= 400:
                    raise RuntimeError("HTTP %d" % response["status"])
                data = json.loads(response["body"])
                results.append({"id": request["id"], "ok": True, "status": response["status"],
                                "data": data, "error": None, "attempts": attempts})
                break
            except Exception as exc:
                error = str(exc)
                sleep(RETRY_PAUSE)
        else:
            results.append({"id": request.get("id"), "ok": False, "status": None,
                            "data": None, "error": error, "attempts": attempts})
    return {"results": results}
