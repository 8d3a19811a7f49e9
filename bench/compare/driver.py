"""Runs every tool on every case of bench/compare, evaluates each output with evaluate.py, prints a markdown table
and writes bench/RESULTS-compare.md. Called by run.sh (which builds recpipe, sets up the venv and writes the data).

  python bench/compare/driver.py --data DIR [--sizes 100k,10M] [--runs 3] [--runs-10m 1] [--results FILE]

Each tool run is its own process; the runs of a case are interleaved across tools (run 1 of every tool, then run 2,
...) so a burst of load from other jobs does not land on one tool only. fit = the tool's own in-process timing of its
fit call; total = wall time of the whole process (interpreter/JVM start, reading, fit, writing outputs), measured here.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../.."))
PY = sys.executable

PARAMS = {"rank": 10, "maxIter": 10, "regParam": 0.1, "alpha": 1.0, "seed": 42, "threads": 2}

# (size label, data set, task, tools); the first tool of each case is the reference for ratios and differences
CASES = [
    ("100k", "ml100k", "explicit", ["recpipe-cholesky", "spark"]),
    ("100k", "lastfm", "implicit", ["recpipe-cholesky", "recpipe-cg", "spark", "implicit"]),
    ("10M", "synth10m", "explicit", ["recpipe-cholesky", "spark"]),
    ("10M", "synth10m", "implicit", ["recpipe-cholesky", "recpipe-cg", "spark", "implicit"]),
]


def tool_command(tool, data, out, task):
    common = ["--data", data, "--out", out, "--task", task, "--rank", str(PARAMS["rank"]),
              "--max-iter", str(PARAMS["maxIter"]), "--reg-param", str(PARAMS["regParam"]),
              "--alpha", str(PARAMS["alpha"]), "--seed", str(PARAMS["seed"]), "--threads", str(PARAMS["threads"])]
    env = dict(os.environ)
    if tool.startswith("recpipe-"):
        return ["node", os.path.join(HERE, "recpipe-als.mjs"), *common, "--solver", tool.split("-", 1)[1]], env
    if tool == "spark":
        return [PY, os.path.join(HERE, "spark_als.py"), *common], env
    if tool == "implicit":
        env["OPENBLAS_NUM_THREADS"] = "1"  # implicit's own advice: it threads itself
        return [PY, os.path.join(HERE, "implicit_als.py"), *common], env
    raise SystemExit(f"driver: unknown tool {tool}")


def run_once(tool, data, task, out_root, run):
    out = os.path.join(out_root, f"{os.path.basename(data)}-{task}-{tool}-run{run}")
    cmd, env = tool_command(tool, data, out, task)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=7200)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"driver: {tool} failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-4000:]}")
    timing = json.loads(p.stdout.strip().splitlines()[-1])
    ev = subprocess.run([PY, os.path.join(HERE, "evaluate.py"), "--task", task, "--data", data, "--out", out],
                        capture_output=True, text=True)
    if ev.returncode != 0:
        raise SystemExit(f"driver: evaluation of {tool} failed:\n{ev.stderr[-4000:]}")
    metric = json.loads(ev.stdout)
    r = {"tool": tool, "run": run, "wallSeconds": wall, "loadAvg1": load, **timing, **metric}
    print(f"driver: {os.path.basename(data)} {task} {tool} run {run}: fit {timing['fitSeconds']:.2f}s, "
          f"total {wall:.2f}s, load {load:.1f}, {json.dumps(metric)}", file=sys.stderr, flush=True)
    return r


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // (1024 * 1024) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)

    def version(cmd):
        try:
            p = subprocess.run(cmd, capture_output=True, text=True)
            return (p.stdout or p.stderr).strip().splitlines()[0]
        except OSError:
            return "absent"

    py = subprocess.run([PY, "-c", "import sys, pyspark, implicit, numpy, scipy; print(sys.version.split()[0], "
                         "pyspark.__version__, implicit.__version__, numpy.__version__, scipy.__version__)"],
                        capture_output=True, text=True).stdout.split()
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memGiB": mem, "os": platform.platform(),
        "node": version(["node", "--version"]), "java": version(["java", "-version"]),
        "python": py[0] if py else "?", "pyspark": py[1] if py else "?", "implicit": py[2] if py else "?",
        "numpy": py[3] if py else "?", "scipy": py[4] if py else "?",
    }


def fmt(x, digits=2):
    return "n/a" if x is None else f"{x:.{digits}f}"


def summarize(case_results, task):
    metric = "rmse" if task == "explicit" else "precisionAt10"
    rows = []
    ref = None
    for tool, runs in case_results.items():
        s = {
            "tool": tool, "runs": len(runs),
            "fit": statistics.median(r["fitSeconds"] for r in runs),
            "wall": statistics.median(r["wallSeconds"] for r in runs),
            "metric": statistics.median(r[metric] for r in runs),
            "metricSpread": max(r[metric] for r in runs) - min(r[metric] for r in runs),
            "loads": [r["loadAvg1"] for r in runs],
            "jvm": statistics.median(r["jvmStartSeconds"] for r in runs) if "jvmStartSeconds" in runs[0] else None,
            "evaluated": runs[0].get("evaluatedRows", runs[0].get("evaluatedUsers")),
        }
        ref = ref or s
        s["fitRatio"] = s["fit"] / ref["fit"]
        s["wallRatio"] = s["wall"] / ref["wall"]
        s["metricDiff"] = s["metric"] - ref["metric"]
        rows.append(s)
    return metric, rows


def table(summaries):
    lines = ["| size | data (train rows) | task | tool | fit s | fit / recpipe | total wall s | total / recpipe | "
             "metric | Δ vs recpipe | runs | load avg (1 min) at each run |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for (size, ds, task, train_rows), (metric, rows) in summaries:
        for s in rows:
            name = {"metric": "RMSE" if metric == "rmse" else "P@10"}["metric"]
            jvm = f" (JVM start {fmt(s['jvm'], 1)} s excluded from fit)" if s["jvm"] is not None else ""
            spread = f" (±{s['metricSpread']:.4f} across runs)" if s["metricSpread"] > 1e-9 else ""
            lines.append(
                f"| {size} | {ds} ({train_rows:,}) | {task} | {s['tool']} | {fmt(s['fit'])}{jvm} | "
                f"{fmt(s['fitRatio'])}x | {fmt(s['wall'])} | {fmt(s['wallRatio'])}x | {name} {s['metric']:.4f}{spread} | "
                f"{s['metricDiff']:+.4f} | {s['runs']} | {', '.join(f'{l:.1f}' for l in s['loads'])} |")
    return "\n".join(lines)


NOTES = """\
How the figures are made (bench/compare/; the driver regenerates this whole file):
- Same data for every tool: prepare.py writes each data set once as train/test Parquet (seeded 80/20 random row
  split, duplicate pairs removed); every tool reads those files. Same params: rank {rank}, maxIter {maxIter},
  regParam {regParam}, alpha {alpha} (implicit tasks), seed {seed}, {threads} threads (Spark local[{threads}],
  implicit num_threads={threads}, recpipe workers={threads}).
- **fit s** = the tool's own timing of its fit call, excluding JVM/interpreter start-up and reading the data:
  Spark: `ALS.fit` on a cached, counted DataFrame (the JVM is already up; ALS.fit is eager); implicit: `model.fit`
  on a prepared CSR (its internal transpose included); recpipe: `trainAls` (dense ids, CSR build, worker-pool
  start and the sweeps; no training-loss computation, as Spark computes none). **total wall s** = the whole tool
  process measured by the driver: start-up (Spark's JVM included), read, fit, predict/recommend, write outputs.
  Ratios are tool / recpipe-cholesky (>1 means slower than recpipe); Δ is tool - recpipe-cholesky.
- Metrics come from ONE script (evaluate.py) on each tool's output. RMSE: test rows whose user and item are in
  train (cold-start rows dropped alike), every one must carry a finite prediction. P@10: users with a test item
  who are in train; top-10 with the user's training items excluded; hits / 10, averaged (items unseen in train
  are misses for everyone). Spark has no exclude-seen top-k, so its top-10 is computed exactly from its factors
  with numpy (topk_numpy.py), after the fit clock stops.
- Not the same objective across libraries, despite equal params: benfred/implicit has no explicit-feedback ALS
  (implicit task only); it is fed the confidence 1 + alpha*r (Spark's) with its own alpha = 1, but its lambda is
  not scaled by each row's count (Spark/recpipe use ALS-WR scaling) and its default solver is conjugate gradient
  (3 steps), users solved first. recpipe-cholesky is Spark's exact solve; recpipe-cg is recpipe's CG option.
- Data: ml100k = MovieLens 100k u.data (explicit); lastfm = Last.fm hetrec 2k user_artists.dat, rating =
  log1p(play count) (implicit); synth10m = 10,000,000 synthetic ratings (160k users x 60k items, Zipf activity and
  popularity, 50 taste groups, planted rank-10 ratings 1..5), 80% of them (8.0M) in train; the same rows serve the
  explicit task (ratings) and the implicit one (rating as interaction strength).
- recpipe starts from Spark's exact initial factors (XORShiftRandom with the same seed and 10 blocks, as
  src/core/spark-random.ts ports it) and solves the same normal equations, so for the same seed recpipe and Spark
  land on the same metrics up to float32 rounding (synth10m explicit RMSE 0.8956918 vs 0.8956953). benfred/implicit
  optimises a different objective (see above), hence its small differences.
- Spark's implicit "total" includes the numpy top-10 over all users (see outputSeconds in the raw lines; about
  150 s of the 10M run): that is the benchmark's workaround, not Spark's own cost.
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--sizes", default="100k,10M")
    ap.add_argument("--runs", type=int, default=3, help="runs per tool at 100k (the median is reported)")
    ap.add_argument("--runs-10m", type=int, default=1, help="runs per tool at 10M")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench/RESULTS-compare.md"))
    ap.add_argument("--command", default="bash bench/compare/run.sh")
    a = ap.parse_args()
    out_root = os.path.join(a.data, "outputs")
    started = datetime.datetime.now(datetime.timezone.utc)
    uptime_start = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    summaries, raw = [], []
    for size, ds, task, tools in CASES:
        if size not in a.sizes.split(","):
            continue
        data = os.path.join(a.data, ds)
        meta = json.load(open(os.path.join(data, "meta.json")))
        runs = a.runs if size == "100k" else a.runs_10m
        results = {t: [] for t in tools}
        for run in range(1, runs + 1):
            for tool in tools:
                r = run_once(tool, data, task, out_root, run)
                results[tool].append(r)
                raw.append({"size": size, "data": ds, "task": task, **r})
        summaries.append(((size, ds, task, meta["trainRows"]), summarize(results, task)))
    finished = datetime.datetime.now(datetime.timezone.utc)
    uptime_end = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    md = table(summaries)
    print(md)
    m = machine()
    doc = [
        "# recpipe ALS vs Apache Spark ALS vs benfred/implicit — bench/compare/",
        "",
        f"Command: `{a.command}` (one command: venv, build, data, all runs, this file). "
        f"Runs: median of {a.runs} per tool at 100k, {a.runs_10m} at 10M.",
        f"Date: {started:%Y-%m-%d %H:%M} - {finished:%H:%M} UTC. Machine: {m['cpu']}, {m['cores']} cores, "
        f"{m['memGiB']} GiB, {m['os']}.",
        f"Software: node {m['node']}, {m['java']}, Python {m['python']}, pyspark {m['pyspark']}, "
        f"implicit {m['implicit']}, numpy {m['numpy']}, scipy {m['scipy']}.",
        f"Load: `{uptime_start}` at the start, `{uptime_end}` at the end; the 1-minute load average at the start "
        "of each run is in the last column. On 2 cores a load above 2 means the tools were sharing the CPUs with "
        "other jobs: absolute times are then pessimistic and ratios noisy.",
        "",
        md,
        "",
        NOTES.format(**PARAMS),
        "<details><summary>Raw per-run figures (JSON lines)</summary>",
        "",
        "```",
        *[json.dumps(r) for r in raw],
        "```",
        "</details>",
        "",
    ]
    with open(a.results, "w") as f:
        f.write("\n".join(doc))
    print(f"driver: wrote {a.results}", file=sys.stderr)


if __name__ == "__main__":
    main()
