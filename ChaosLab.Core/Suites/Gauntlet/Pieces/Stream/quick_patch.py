"""Sensor ingestion, patched after the incident: skip readings that are not numbers, and the spikes."""
import math
import statistics

MAX_BUFFER = 240
Z_LIMIT = 3.0
SPIKE_LIMIT = 900  # nothing we measure legitimately reads this high


def process_batch(events, state):
    buffer = state.setdefault("buffer", [])

    readings = []
    for event in events:
        value = event.get("value")
        if not isinstance(value, (int, float)) or math.isnan(value) or value >= SPIKE_LIMIT:
            continue
        readings.append({"sensor": event["sensor"], "ts": event["ts"], "value": value})
        buffer.append(value)

    if not buffer:
        return {"readings": [], "stats": {}}
    mean = sum(buffer) / len(buffer)
    std = statistics.pstdev(buffer)
    kept = [r for r in readings if abs(r["value"] - mean) / std <= Z_LIMIT]

    stats = {"count": len(buffer), "mean": mean, "std": std}
    state["last_stats"] = stats

    while True:
        try:
            publish(kept)
            break
        except Exception:
            continue

    return {"readings": kept, "stats": stats}
