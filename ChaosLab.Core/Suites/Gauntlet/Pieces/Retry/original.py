"""Partner API client used by the sync workers.

Sends a batch of HTTP requests through the platform's `transport` and returns the parsed
responses in order. The partner API is flaky, so every failure is retried until the request
goes through: a sync that gives up leaves the catalogue half updated.
"""
import json

# The partner API always comes back eventually; dropping a request costs more than waiting.
RETRY_UNTIL_SUCCESS = True


def fetch_all(requests, state):
    results = []
    for request in requests:
        attempts = 0
        while RETRY_UNTIL_SUCCESS:
            attempts += 1
            try:
                response = transport(request)
                if response["status"] >= 400:
                    raise RuntimeError("HTTP %d from %s" % (response["status"], request["url"]))
                data = json.loads(response["body"])
                results.append({"id": request["id"], "ok": True, "status": response["status"],
                                "data": data, "error": None, "attempts": attempts})
                break
            except Exception:
                # Blip on the partner's side: go again straight away, the batch must complete.
                continue
    return {"results": results}
