"""process_batch, hardened: validated, ordered, robustly filtered, bounded and observable."""
import bisect
import math
import statistics

MAX_CLOCK_SKEW = 300.0       # seconds an event may be ahead of now() before its clock is distrusted
WINDOW = 60                  # accepted readings per sensor kept for stats and as the spike reference
SPIKE_K = 6.0                # robust deviations beyond which a reading is an outlier
PATTERN_RADIUS = 3.0         # robust deviations that count as "the same level" as an outlier
PATTERN_SHARE = 0.10         # share of the reference an outlier's level needs to be a pattern, not a spike
MAD_TO_SIGMA = 1.4826
MAX_PENDING = 240            # MAX_BUFFER: the pending queue and every other container
MAX_PUBLISH_ATTEMPTS = 3
BACKOFF_SECONDS = (0.5, 1.0)  # before the second and the third attempt
DROP_REASONS = ("invalid", "future", "late", "spike")


def _finite_number(x):
    # bool is an int subclass, and strings are never readings, numeric-looking or not.
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float
        return False


def _triage(event, clock, watermark):
    """The drop reason of an event before any statistics, or None for a usable reading."""
    if not isinstance(event, dict):
        return "invalid"
    sensor, ts, value = event.get("sensor"), event.get("ts"), event.get("value")
    if not isinstance(sensor, str) or not sensor or not _finite_number(ts) or not _finite_number(value):
        return "invalid"
    if ts > clock + MAX_CLOCK_SKEW:
        return "future"
    if watermark is not None and ts < watermark:
        return "late"
    return None


def _spikes(candidates, windows):
    """Indices of candidates that are isolated spikes, per sensor, by the median/MAD rule."""
    by_sensor = {}
    for i, reading in enumerate(candidates):
        by_sensor.setdefault(reading["sensor"], []).append(i)
    spikes = set()
    for sensor, indices in by_sensor.items():
        reference = sorted(list(windows.get(sensor, [])) + [candidates[i]["value"] for i in indices])
        median = statistics.median(reference)
        mad = statistics.median(abs(x - median) for x in reference)
        scale = max(MAD_TO_SIGMA * mad, 0.01, 0.001 * abs(median))
        for i in indices:
            value = candidates[i]["value"]
            if abs(value - median) <= SPIKE_K * scale:
                continue
            radius = PATTERN_RADIUS * scale
            level = bisect.bisect_right(reference, value + radius) - bisect.bisect_left(reference, value - radius)
            if level < PATTERN_SHARE * len(reference):
                spikes.add(i)
    return spikes


def _publish(backlog):
    """Publishes the backlog with bounded retries; returns (succeeded, attempts)."""
    for attempt in range(MAX_PUBLISH_ATTEMPTS):
        if attempt:
            sleep(BACKOFF_SECONDS[attempt - 1])
        try:
            publish(backlog)
            return True, attempt + 1
        except Exception:  # any failure of the sink is worth a bounded retry
            continue
    return False, MAX_PUBLISH_ATTEMPTS


def process_batch(events, state):
    events = events if isinstance(events, list) else []
    dropped = dict.fromkeys(DROP_REASONS, 0)
    windows = state.get("windows") or {}
    watermark = state.get("watermark")
    clock = now()

    candidates = []
    for event in events:
        reason = _triage(event, clock, watermark)
        if reason:
            dropped[reason] += 1
        else:
            candidates.append({"sensor": event["sensor"], "ts": event["ts"], "value": float(event["value"])})

    spikes = _spikes(candidates, windows)
    dropped["spike"] = len(spikes)
    readings = sorted((r for i, r in enumerate(candidates) if i not in spikes), key=lambda r: r["ts"])

    for reading in readings:
        window = windows.setdefault(reading["sensor"], [])
        window.append(reading["value"])
        del window[:-WINDOW]
    if readings:
        watermark = readings[-1]["ts"]
    stats = {
        sensor: {"count": len(values), "mean": statistics.fmean(values), "std": statistics.pstdev(values)}
        for sensor, values in windows.items()
    }

    backlog = list(state.get("pending") or []) + readings
    published, attempts, shed = 0, 0, 0
    if backlog:
        ok, attempts = _publish(backlog)
        if ok:
            published, backlog = len(backlog), []
        else:
            shed = max(0, len(backlog) - MAX_PENDING)
            backlog = backlog[shed:]

    state.clear()
    state.update({"windows": windows, "watermark": watermark, "pending": backlog})
    telemetry = {
        "received": len(events),
        "accepted": len(readings),
        "dropped": dropped,
        "published": published,
        "publish_attempts": attempts,
        "pending": len(backlog),
        "shed": shed,
        "backpressure": bool(backlog) or shed > 0,
    }
    return {"readings": readings, "stats": stats, "telemetry": telemetry}
