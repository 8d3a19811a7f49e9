"""Command line every bench/compare tool script takes, so the driver hands all of them the same parameters."""
import argparse
import json
import sys


def parse(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--data", required=True, help="folder with train.parquet and test.parquet (prepare.py)")
    ap.add_argument("--out", required=True, help="folder for predictions.parquet (explicit) or top10.parquet (implicit)")
    ap.add_argument("--task", choices=["explicit", "implicit"], required=True)
    ap.add_argument("--rank", type=int, default=10)
    ap.add_argument("--max-iter", type=int, default=10)
    ap.add_argument("--reg-param", type=float, default=0.1)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--driver-memory", default="8g", help="Spark only")
    return ap.parse_args()


def report(**fields):
    """The one stdout line the driver reads: seconds of each phase measured inside the process."""
    json.dump(fields, sys.stdout)
    print()
    sys.stdout.flush()
