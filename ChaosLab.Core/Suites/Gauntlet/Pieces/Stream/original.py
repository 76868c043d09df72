"""Sensor ingestion: cleans each batch of readings, keeps running stats, publishes downstream.

Deployed as the `process_batch` step of the telemetry pipeline. `publish(readings)` is the
downstream sink (it raises when the sink is unavailable). `state` is checkpointed between batches.
"""
import statistics

MAX_BUFFER = 240  # readings the buffer should hold (TODO: enforce)
Z_LIMIT = 3.0     # readings further than this many standard deviations from the mean are noise


def process_batch(events, state):
    buffer = state.setdefault("buffer", [])

    readings = []
    for event in events:
        value = float(event["value"])
        readings.append({"sensor": event["sensor"], "ts": event["ts"], "value": value})
        buffer.append(value)

    # Stats over everything seen so far, so a single batch cannot skew them.
    mean = sum(buffer) / len(buffer)
    std = statistics.pstdev(buffer)
    kept = [r for r in readings if abs(r["value"] - mean) / std <= Z_LIMIT]

    stats = {"count": len(buffer), "mean": mean, "std": std}
    state["last_stats"] = stats

    # The sink is usually back within a second: keep trying until it takes the batch.
    while True:
        try:
            publish(kept)
            break
        except Exception:
            continue

    return {"readings": kept, "stats": stats}
