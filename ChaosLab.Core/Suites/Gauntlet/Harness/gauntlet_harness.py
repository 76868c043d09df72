"""ChaosLab gauntlet harness: runs a submitted function on graded cases inside the sandbox.

This process is the trusted half of the run and never executes submitted code. For every call
of every case it forks a child that loads the submission, makes exactly one call and reports
what came back. The child reaches the runtime (dependencies, the virtual clock) only by asking
this process over a pipe, so the dependency calls and the time slept are recorded here, and the
state a call leaves behind is what the next call gets: serialized, as a service that checkpoints
its state between batches would see it. The grader outside the sandbox still trusts nothing
printed here beyond what it can check against its own expectations.

Input files: submission.py (the code), cases.json (entry point, limits, cases).
Output: one line of JSON on stdout, the report.
"""

import json
import math
import os
import select
import signal
import sys
import time

# Loaded once here, before any call's process is forked, so no call pays for importing the
# standard library's usual suspects again (a fresh import of email.utils alone costs ~10 ms).
import bisect  # noqa: F401
import collections  # noqa: F401
import datetime  # noqa: F401
import email.utils  # noqa: F401
import heapq  # noqa: F401
import statistics  # noqa: F401

VERSION = 1


class TransientError(Exception):
    """A dependency failure worth retrying (a 503, a reset connection)."""


class PermanentError(Exception):
    """A dependency failure that retrying cannot fix (a rejected request)."""


RAISABLE = {
    "TransientError": TransientError,
    "PermanentError": PermanentError,
    "TimeoutError": TimeoutError,
    "ConnectionError": ConnectionError,
    "ValueError": ValueError,
}


class TooLarge(Exception):
    pass


# ---------------------------------------------------------------- values on the wire

def encode(value, budget):
    """JSON for a Python value, keeping what plain JSON loses (NaN, deques, non-string keys)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise TooLarge()
    if value is None or isinstance(value, bool) or isinstance(value, str):
        if isinstance(value, str):
            budget[0] -= len(value) // 16
        return value
    if isinstance(value, int):
        return value if abs(value) < 2 ** 53 else {"$int": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"$float": "nan"}
        if math.isinf(value):
            return {"$float": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, (list, tuple)):
        return [encode(v, budget) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v, budget) for k, v in value.items()}
        return {"$dict": [[encode(k, budget), encode(v, budget)] for k, v in value.items()]}
    type_name = type(value).__name__
    if type_name == "deque":
        return {"$deque": [encode(v, budget) for v in value], "maxlen": value.maxlen}
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode(v, budget) for v in sorted(value, key=repr)]}
    return {"$repr": repr(value)[:200], "$type": type_name}


def decode(node):
    if isinstance(node, list):
        return [decode(v) for v in node]
    if isinstance(node, dict):
        if "$float" in node:
            return float(node["$float"])
        if "$int" in node:
            return int(node["$int"])
        if "$dict" in node:
            return {_hashable(decode(k)): decode(v) for k, v in node["$dict"]}
        if "$deque" in node:
            from collections import deque
            return deque([decode(v) for v in node["$deque"]], node.get("maxlen"))
        if "$set" in node:
            return set(_hashable(decode(v)) for v in node["$set"])
        if "$repr" in node:
            return "<unserializable %s: %s>" % (node.get("$type"), node["$repr"])
        return {k: decode(v) for k, v in node.items()}
    return node


def _hashable(value):
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


# ---------------------------------------------------------------- the child: one call

def run_child(source_code, entry, payload, state, request_fd, response_fd, limits, dependency_names):
    """Loads the submission and makes one call; reports through request_fd. Never returns."""
    import io
    requests = os.fdopen(request_fd, "w", buffering=1)
    responses = os.fdopen(response_fd, "r", buffering=1)
    captured = io.StringIO()

    def ask(message):
        requests.write(json.dumps(message, allow_nan=False) + "\n")
        requests.flush()
        answer = responses.readline()
        if not answer:
            os._exit(70)
        return json.loads(answer)

    def report(message):
        try:
            line = json.dumps(message, allow_nan=False)
        except (TypeError, ValueError) as error:
            line = json.dumps({"type": "error", "error": {"type": "HarnessEncodingError", "message": str(error)}})
        requests.write(line + "\n")
        requests.flush()
        os._exit(0)

    def make_dependency(name):
        def dependency(*args, **kwargs):
            argument = args[0] if args else (next(iter(kwargs.values())) if kwargs else None)
            try:
                encoded = encode(argument, [limits["max_argument_items"]])
            except TooLarge:
                encoded = {"$too_large": True}
            answer = ask({"type": "dep", "dep": name, "arg": encoded})
            if "raise" in answer:
                raise RAISABLE.get(answer["raise"], TransientError)(answer.get("message", ""))
            return decode(answer.get("return"))
        dependency.__name__ = name
        return dependency

    def sleep(seconds=0):
        try:
            seconds = float(seconds)
        except (TypeError, ValueError):
            seconds = 0.0
        ask({"type": "sleep", "seconds": seconds if math.isfinite(seconds) else 1e9})

    def now():
        return ask({"type": "now"})["clock"]

    # The submission's own prints go to a buffer; nothing it writes reaches the report channel.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = captured
    sys.stderr = captured
    time.sleep = sleep
    time.time = now
    time.monotonic = now
    time.perf_counter = now

    namespace = {"__name__": "submission", "__builtins__": __builtins__, "now": now, "sleep": sleep,
                 "TransientError": TransientError, "PermanentError": PermanentError}
    for name in dependency_names:
        namespace[name] = make_dependency(name)

    outcome = {"type": "result"}
    try:
        exec(compile(source_code, "submission.py", "exec"), namespace)
        function = namespace.get(entry)
        if not callable(function):
            raise NameError("the submission defines no function named %s" % entry)
        returned = function(payload, state)
        budget = [limits["max_result_items"]]
        outcome["returned"] = encode(returned, budget)
        outcome["state"] = encode(state, budget)
    except TooLarge:
        outcome = {"type": "error", "status": "too_large",
                   "error": {"type": "TooLarge", "message": "the result or the state has more than %d values" % limits["max_result_items"]}}
    except BaseException as error:  # the submission's failure is the result of this call
        outcome = {"type": "error", "status": "raised", "error": describe(error)}
        try:
            outcome["state"] = encode(state, [limits["max_result_items"]])
        except BaseException:
            pass
    outcome["stdout"] = captured.getvalue()[: limits["stdout_chars"]]
    report(outcome)


def describe(error):
    import traceback
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "submission.py"]
    where = "line %d" % frames[-1].lineno if frames else None
    return {"type": type(error).__name__, "message": str(error)[:300], "where": where}


# ---------------------------------------------------------------- the parent: runtime and bookkeeping

class Runtime:
    """The case's dependencies and virtual clock, as scripted by the grader."""

    def __init__(self, case):
        self.clock = float(case.get("clock_start", 0.0))
        self.scripts = case.get("dependencies", {})
        self.attempts = {}
        self.served = {}

    def call(self, name, argument, record):
        script = self.scripts.get(name)
        if script is None:
            return {"raise": "PermanentError", "message": "no dependency named %s" % name}
        key = "*"
        key_field = script.get("key")
        if key_field and isinstance(argument, dict) and key_field in argument:
            key = str(argument[key_field])
        attempt = self.attempts.get((name, key), 0)
        self.attempts[(name, key)] = attempt + 1
        at = self.clock
        gate = script.get("gates", {}).get(key) or script.get("gates", {}).get("*")
        if gate is not None and self.clock < gate["open_at"]:
            response = gate["closed"]
        else:
            served = self.served.get((name, key), 0)
            self.served[(name, key)] = served + 1
            scripted = script.get("responses", {}).get(key, script.get("default", []))
            response = scripted[served] if served < len(scripted) else script.get("then", {"return": None})
        self.clock += float(response.get("latency", script.get("latency", 0.0)))
        record.append({"dep": name, "key": key, "attempt": attempt, "at": at,
                       "outcome": "raise" if "raise" in response else "return",
                       "response": response, "arg": argument})
        return response


KEPT_FILES = {"main.py", "submission.py", "cases.json"}
REAP_WAIT_SECONDS = 2.0


def isolate_calls():
    """Leaves nothing of one call for the next but the state: kills every process the call left
    behind (a daemon could serve data over a socket) and empties the writable scratch space (a
    file could carry a buffer past the state's bound)."""
    killed = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, os.getpid(), os.getppid()):
            try:
                os.kill(int(entry), signal.SIGKILL)
                killed.append(entry)
            except (ProcessLookupError, PermissionError):
                pass
    # A killed process lingers until the sandbox's init reaps it; the next call starts once they
    # are gone (bounded: a process that will not go is a sandbox fault, not a reason to hang).
    deadline = time.monotonic() + REAP_WAIT_SECONDS
    while any(os.path.exists("/proc/" + pid) for pid in killed) and time.monotonic() < deadline:
        time.sleep(0.002)
    for root in ("/tmp", "/dev/shm"):
        try:
            names = os.listdir(root)
        except OSError:
            continue
        for name in names:
            if root == "/tmp" and name in KEPT_FILES:
                continue
            remove(os.path.join(root, name))


def remove(path):
    import shutil
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            shutil.rmtree(path, onerror=lambda fn, p, _: (os.chmod(os.path.dirname(p), 0o700), fn(p)))
        else:
            os.unlink(path)
    except OSError:
        pass


def run_call(source_code, entry, payload, state, runtime, limits, dependency_names):
    """Forks a child for one call and serves its runtime requests until it reports or runs out of time."""
    request_read, request_write = os.pipe()
    response_read, response_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(request_read)
        os.close(response_write)
        try:
            run_child(source_code, entry, payload, state, request_write, response_read, limits, dependency_names)
        finally:
            os._exit(71)
    os.close(request_write)
    os.close(response_read)
    responses = os.fdopen(response_write, "w", buffering=1)
    deps, sleeps = [], []
    started = time.monotonic()
    deadline = started + limits["call_seconds"]
    buffer = b""
    result, status, dependency_calls, received = None, None, 0, 0
    try:
        while result is None and status is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                status = "timeout"
                break
            ready, _, _ = select.select([request_read], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(request_read, 1 << 16)
            if not chunk:
                status = "crashed"
                break
            received += len(chunk)
            if received > limits["max_message_bytes"]:
                status = "too_large"
                break
            buffer += chunk
            while b"\n" in buffer and result is None and status is None:
                line, buffer = buffer.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    status = "crashed"
                    break
                kind = message.get("type") if isinstance(message, dict) else None
                if kind == "dep":
                    dependency_calls += 1
                    if dependency_calls > limits["max_dependency_calls"]:
                        status = "storm"
                        break
                    answer = runtime.call(str(message.get("dep")), message.get("arg"), deps)
                    responses.write(json.dumps({k: answer[k] for k in ("return", "raise", "message") if k in answer}) + "\n")
                elif kind == "sleep":
                    seconds = message.get("seconds")
                    seconds = float(seconds) if isinstance(seconds, (int, float)) and seconds > 0 else 0.0
                    sleeps.append(seconds)
                    runtime.clock += seconds
                    responses.write(json.dumps({"clock": runtime.clock}) + "\n")
                elif kind == "now":
                    responses.write(json.dumps({"clock": runtime.clock}) + "\n")
                elif kind in ("result", "error"):
                    result = message
                else:
                    status = "crashed"
            try:
                responses.flush()
            except OSError:
                status = status or "crashed"
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, wait_status = os.waitpid(pid, 0)
        os.close(request_read)
        try:
            responses.close()
        except OSError:
            pass

    elapsed_ms = int((time.monotonic() - started) * 1000)
    record = {"deps": deps, "sleeps": sleeps, "clock": runtime.clock, "ms": elapsed_ms}
    if result is not None:
        record["status"] = result.get("status", "ok" if result["type"] == "result" else "raised")
        for field in ("returned", "state", "error", "stdout"):
            if field in result:
                record[field] = result[field]
        return record
    record["status"] = status
    record["error"] = {
        "timeout": {"type": "Timeout", "message": "the call did not return within %.1f s" % limits["call_seconds"]},
        "storm": {"type": "DependencyStorm", "message": "more than %d dependency calls in one call" % limits["max_dependency_calls"]},
        "too_large": {"type": "TooLarge", "message": "the call's messages passed %d bytes" % limits["max_message_bytes"]},
        "crashed": {"type": "Crashed", "message": exit_description(wait_status)},
    }[status]
    return record


def exit_description(wait_status):
    if os.WIFSIGNALED(wait_status):
        return "the process died of signal %d" % os.WTERMSIG(wait_status)
    if os.WIFEXITED(wait_status):
        return "the process exited with status %d before returning" % os.WEXITSTATUS(wait_status)
    return "the process ended before returning"


def seal_harness():
    """Makes this process undumpable: a call's process, same user or not, can then neither open
    /proc/<harness>/fd/1 to write a report of its own nor attach to the harness."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def main():
    seal_harness()
    with open("cases.json", encoding="utf-8") as handle:
        spec = json.load(handle)
    with open("submission.py", encoding="utf-8") as handle:
        source_code = handle.read()
    limits = spec["limits"]
    entry = spec["entry"]
    dependency_names = spec.get("dependencies", [])
    report = {"harness": VERSION, "cases": []}
    try:
        compile(source_code, "submission.py", "exec")
    except (SyntaxError, ValueError) as error:
        report["load_error"] = {"type": type(error).__name__, "message": str(error)[:300],
                                "where": "line %s" % getattr(error, "lineno", "?")}
        print(json.dumps(report, allow_nan=False))
        return
    timeouts = 0
    for case in spec["cases"]:
        runtime = Runtime(case)
        state = decode(case.get("state", {}))
        calls = []
        for payload in case["calls"]:
            if timeouts >= limits["max_timeouts"]:
                calls.append({"status": "skipped", "deps": [], "sleeps": [], "clock": runtime.clock, "ms": 0,
                              "error": {"type": "Skipped", "message": "not run: earlier calls timed out %d times" % timeouts}})
                continue
            record = run_call(source_code, entry, decode(payload), state, runtime, limits, dependency_names)
            isolate_calls()
            if record["status"] == "timeout":
                timeouts += 1
            if "state" in record:
                state = decode(record["state"])
            calls.append(record)
        report["cases"].append({"id": case["id"], "calls": calls})
    print(json.dumps(report, allow_nan=False))


if __name__ == "__main__":
    main()
