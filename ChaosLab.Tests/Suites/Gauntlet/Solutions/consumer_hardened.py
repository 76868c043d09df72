"""Ledger consumer, hardened: exactly-once, per-account order, bounded state, bounded commits.

Per account the state keeps a cursor: `next` (the seq to apply next), a reorder buffer of
events that arrived ahead of their turn (never more than REORDER_WINDOW - 1 of them) and the
last SKIP_MEMORY seqs given up on. Dedupe needs no set of ids: an event below `next` was
applied or skipped, an event at or above it is either buffered or new.
"""
import math

REORDER_WINDOW = 16
SKIP_MEMORY = 64
MAX_COMMIT_ATTEMPTS = 3
BACKOFF_SECONDS = 0.1
RETRYABLE = (TransientError, TimeoutError, ConnectionError)


def _parse(delivery):
    """(id, key, seq, amount) for a well-formed delivery, else None."""
    if not isinstance(delivery, dict):
        return None
    event_id, key, seq, amount = (delivery.get(f) for f in ("id", "key", "seq", "amount"))
    if not isinstance(event_id, str) or not event_id or not isinstance(key, str) or not key:
        return None
    if type(seq) is not int or seq < 1:  # bools are ints to Python: excluded by type()
        return None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
        return None
    return event_id, key, seq, amount


class _Batch:
    """What one call did, for the output and its telemetry."""

    def __init__(self, state):
        self.cursors = state.setdefault("cursors", {})
        self.balances = state.setdefault("balances", {})
        self.applied, self.dead_letter = [], []
        self.counts = dict(received=0, applied=0, reordered=0, duplicates=0,
                           rejected=0, dead_lettered=0, skipped=0)

    def take(self, delivery):
        self.counts["received"] += 1
        parsed = _parse(delivery)
        if parsed is None:
            self.counts["rejected"] += 1
            return
        event_id, key, seq, amount = parsed
        cursor = self.cursors.setdefault(key, {"next": 1, "buffer": {}, "skipped": []})
        if seq < cursor["next"]:
            if seq in cursor["skipped"]:
                # Given up on when its account moved on: too late to apply in order.
                cursor["skipped"].remove(seq)
                self.dead_letter.append(event_id)
                self.counts["dead_lettered"] += 1
            else:
                self.counts["duplicates"] += 1
            return
        if seq in cursor["buffer"]:
            self.counts["duplicates"] += 1
            return
        cursor["buffer"][seq] = [event_id, amount, seq != cursor["next"]]
        self._drain(key, cursor)
        # A missing seq is waited for only while the account is less than a window ahead of it.
        while cursor["buffer"] and max(cursor["buffer"]) - cursor["next"] >= REORDER_WINDOW:
            resume = min(cursor["buffer"])
            cursor["skipped"].extend(range(cursor["next"], resume))
            del cursor["skipped"][:-SKIP_MEMORY]
            self.counts["skipped"] += resume - cursor["next"]
            cursor["next"] = resume
            self._drain(key, cursor)

    def _drain(self, key, cursor):
        while cursor["next"] in cursor["buffer"]:
            event_id, amount, waited = cursor["buffer"].pop(cursor["next"])
            self.balances[key] = self.balances.get(key, 0) + amount
            self.applied.append(event_id)
            self.counts["applied"] += 1
            self.counts["reordered"] += 1 if waited else 0
            cursor["next"] += 1

    def commit_offsets(self):
        """Commits the consumed offsets with bounded retries; a failed commit is superseded by the next one."""
        offsets = {key: c["next"] - 1 for key, c in self.cursors.items() if c["next"] > 1}
        attempts, committed = 0, False
        while attempts < MAX_COMMIT_ATTEMPTS and not committed:
            if attempts:
                sleep(BACKOFF_SECONDS * 2 ** (attempts - 1))
            attempts += 1
            try:
                commit(offsets)
                committed = True
            except RETRYABLE:
                pass
            except Exception:
                break
        return attempts, committed


def consume(deliveries, state):
    batch = _Batch(state)
    for delivery in deliveries if isinstance(deliveries, list) else []:
        batch.take(delivery)
    attempts, committed = batch.commit_offsets()
    telemetry = dict(batch.counts,
                     buffered=sum(len(c["buffer"]) for c in batch.cursors.values()),
                     commit_attempts=attempts, committed=committed)
    return {"applied": batch.applied, "balances": dict(batch.balances), "rejected": batch.counts["rejected"],
            "dead_letter": batch.dead_letter, "telemetry": telemetry}
