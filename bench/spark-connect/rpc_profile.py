"""The RPC profile of PySpark's Spark Connect client, in the shape recpipe's RECPIPE_CONNECT_PROFILE writes
(src/engines/spark-connect/transport/rpc-profile.ts): a gRPC client interceptor counts every request per RPC and per
plan or command kind (count, request bytes, response bytes, wall), the most ExecutePlan requests in flight at once
and the wall with two or more in flight; `write(path)` saves it as JSON. Bytes are the messages' serialized sizes.
"""
import json
import threading
import time

import grpc


def plan_kind(plan):
    op = plan.WhichOneof("op_type")
    if op == "root":
        rel = plan.root.WhichOneof("rel_type")
        return f"root ml {plan.root.ml_relation.WhichOneof('ml_type')}" if rel == "ml_relation" else f"root {rel}"
    if op == "command":
        cmd = plan.command.WhichOneof("command_type")
        return f"ml {plan.command.ml_command.WhichOneof('command')}" if cmd == "ml_command" else f"command {cmd}"
    return "none"


def request_kind(rpc, request):
    if rpc == "ExecutePlan":
        return plan_kind(request.plan)
    if rpc == "AnalyzePlan":
        return request.WhichOneof("analyze") or "none"
    if rpc == "Config":
        return request.operation.WhichOneof("op_type") or "none"
    if rpc == "AddArtifacts":
        return request.WhichOneof("payload") or "none"
    return {"ReleaseExecute": "release", "ReattachExecute": "reattach", "ReleaseSession": "session"}.get(rpc, "-")


def _camel(kind):
    # proto field names as recpipe's generated code spells them (spark_version -> sparkVersion), so the tables line up
    return " ".join("".join(w if i == 0 else w[:1].upper() + w[1:] for i, w in enumerate(x.split("_"))) for x in kind.split(" "))


class RpcProfile(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor, grpc.StreamUnaryClientInterceptor):
    def __init__(self):
        self._lock = threading.Lock()
        self._rows = {}
        self._first = None
        self._last = 0.0
        self._in_flight = 0
        self._max_in_flight = 0
        self._overlap_since = 0.0
        self._overlap = 0.0

    def _start(self, rpc, kind, request_bytes):
        t0 = time.perf_counter()
        with self._lock:
            self._first = t0 if self._first is None else min(self._first, t0)
            row = self._rows.setdefault((rpc, kind), {"rpc": rpc, "kind": kind, "count": 0, "requestBytes": 0, "responseBytes": 0, "wallMs": 0.0})
            row["count"] += 1
            row["requestBytes"] += request_bytes
            if rpc == "ExecutePlan":
                self._in_flight += 1
                if self._in_flight == 2:
                    self._overlap_since = t0
                self._max_in_flight = max(self._max_in_flight, self._in_flight)
        return row, t0

    def _received(self, row, n):
        with self._lock:
            row["responseBytes"] += n

    def _end(self, row, t0):
        t1 = time.perf_counter()
        with self._lock:
            row["wallMs"] += (t1 - t0) * 1000
            self._last = max(self._last, t1)
            if row["rpc"] == "ExecutePlan":
                if self._in_flight == 2:
                    self._overlap += t1 - self._overlap_since
                self._in_flight -= 1

    @staticmethod
    def _rpc(details):
        return details.method.rsplit("/", 1)[-1]

    def intercept_unary_unary(self, continuation, details, request):
        rpc = self._rpc(details)
        row, t0 = self._start(rpc, _camel(request_kind(rpc, request)), request.ByteSize())
        outcome = continuation(details, request)
        try:
            self._received(row, outcome.result().ByteSize())
        except Exception:
            pass
        self._end(row, t0)
        return outcome

    def intercept_stream_unary(self, continuation, details, request_iterator):
        rpc = self._rpc(details)
        state = {}

        def counted():
            for r in request_iterator:
                if "row" not in state:
                    state["row"], state["t0"] = self._start(rpc, _camel(request_kind(rpc, r)), 0)
                with self._lock:
                    state["row"]["requestBytes"] += r.ByteSize()
                yield r

        outcome = continuation(details, counted())
        try:
            outcome.result()
        except Exception:
            pass
        if "row" in state:
            self._end(state["row"], state["t0"])
        return outcome

    def intercept_unary_stream(self, continuation, details, request):
        rpc = self._rpc(details)
        row, t0 = self._start(rpc, _camel(request_kind(rpc, request)), request.ByteSize())
        return _CountedStream(continuation(details, request), self, row, t0)

    def write(self, path):
        rows = sorted(({**r, "wallMs": round(r["wallMs"])} for r in self._rows.values()), key=lambda r: -r["wallMs"])
        out = {
            "client": "pyspark",
            "spanMs": round((self._last - self._first) * 1000) if self._first is not None else 0,
            "maxExecuteInFlight": self._max_in_flight,
            "overlapMs": round(self._overlap * 1000),
            "rpcs": rows,
            "steps": [],
        }
        with open(path, "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


class _CountedStream:
    """A server stream whose messages are counted; it ends at its last message, at result_complete, or on error."""

    def __init__(self, inner, profile, row, t0):
        self._inner, self._profile, self._row, self._t0, self._ended = inner, profile, row, t0, False

    def _finish(self):
        if not self._ended:
            self._ended = True
            self._profile._end(self._row, self._t0)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            r = next(self._inner)
        except BaseException:
            self._finish()
            raise
        self._profile._received(self._row, r.ByteSize())
        if getattr(r, "HasField", None) and "result_complete" in r.DESCRIPTOR.fields_by_name and r.HasField("result_complete"):
            self._finish()
        return r

    def __getattr__(self, name):
        return getattr(self._inner, name)
