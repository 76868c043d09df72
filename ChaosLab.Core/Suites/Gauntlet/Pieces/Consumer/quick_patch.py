"""Ledger consumer, patched after the double-billing incident: skip ids we have seen, skip bad rows."""


def consume(deliveries, state):
    balances = state.setdefault("balances", {})
    seen = set(state.get("seen", []))
    rejected = 0
    batch = []

    for delivery in deliveries:
        try:
            if delivery["id"] in seen:
                continue
            seen.add(delivery["id"])
            batch.append((int(delivery["seq"]), delivery["key"], float(delivery["amount"]), delivery["id"]))
        except (KeyError, TypeError, ValueError):
            rejected += 1

    # Apply each batch in seq order so accounts do not go through impossible balances.
    batch.sort(key=lambda row: row[0])
    applied = []
    for seq, key, amount, event_id in batch:
        balances[key] = balances.get(key, 0) + amount
        applied.append(event_id)
    state["seen"] = sorted(seen)

    offsets = {}
    for seq, key, amount, event_id in batch:
        offsets[key] = max(offsets.get(key, 0), seq)
    for attempt in range(10):
        try:
            commit(offsets)
            break
        except Exception:
            pass

    return {"applied": applied, "balances": balances, "rejected": rejected, "dead_letter": []}
