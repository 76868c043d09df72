"""Ledger consumer: applies account events from the broker to the running balances.

The broker's subscription delivers each batch as a list of dicts:
    {"id": "ev-3f9a21c0", "key": "acct-104", "seq": 12, "amount": 1250}
`amount` is in cents; `seq` numbers the events of one account (1, 2, 3, ...).
After a batch is applied we commit the consumed offsets so a restart resumes from there.
"""

# Kept for the audit export: every event id we have processed.
AUDIT_LOG_FIELD = "seen"


def consume(deliveries, state):
    balances = state.setdefault("balances", {})
    seen = state.setdefault(AUDIT_LOG_FIELD, [])
    applied = []

    for delivery in deliveries:
        key = delivery["key"]
        amount = float(delivery["amount"])
        balances[key] = balances.get(key, 0) + amount
        seen.append(delivery["id"])
        applied.append(delivery["id"])

    # The last seq we saw per account is where a restart resumes.
    offsets = {}
    for delivery in deliveries:
        offsets[delivery["key"]] = delivery["seq"]

    # The offsets store flaps now and then; keep trying until it takes the commit.
    while True:
        try:
            commit(offsets)
            break
        except Exception:
            continue

    return {"applied": applied, "balances": balances}
