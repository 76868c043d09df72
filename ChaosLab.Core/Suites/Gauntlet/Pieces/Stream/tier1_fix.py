"""Sensor ingestion with validated input: only finite numbers, in order, from trustworthy clocks."""
import math
import statistics

MAX_BUFFER = 240
MAX_CLOCK_SKEW = 300.0


def _finite_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def process_batch(events, state):
    buffer = state.setdefault("buffer", [])
    watermark = state.get("watermark")
    clock = now()

    readings = []
    for event in events:
        if not isinstance(event, dict):
            continue
        sensor, ts, value = event.get("sensor"), event.get("ts"), event.get("value")
        if not isinstance(sensor, str) or not sensor or not _finite_number(ts) or not _finite_number(value):
            continue
        if ts > clock + MAX_CLOCK_SKEW or (watermark is not None and ts < watermark):
            continue
        readings.append({"sensor": sensor, "ts": ts, "value": float(value)})
    readings.sort(key=lambda r: r["ts"])
    if readings:
        state["watermark"] = readings[-1]["ts"]

    buffer.extend(r["value"] for r in readings)
    stats = {"count": len(buffer)}
    if buffer:
        stats.update(mean=statistics.fmean(buffer), std=statistics.pstdev(buffer))

    while True:
        try:
            publish(readings)
            break
        except Exception:
            continue

    return {"readings": readings, "stats": stats}
