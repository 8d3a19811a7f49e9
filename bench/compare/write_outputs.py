"""Writes a tool's output in the shape evaluate.py reads."""
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def write_top10(out_dir, user, item, pos):
    os.makedirs(out_dir, exist_ok=True)
    pq.write_table(pa.table({"user": pa.array(np.asarray(user, dtype=np.int32)),
                             "item": pa.array(np.asarray(item, dtype=np.int32)),
                             "pos": pa.array(np.asarray(pos, dtype=np.int32))}),
                   os.path.join(out_dir, "top10.parquet"))


def write_predictions(out_dir, user, item, prediction):
    os.makedirs(out_dir, exist_ok=True)
    pq.write_table(pa.table({"user": pa.array(np.asarray(user, dtype=np.int32)),
                             "item": pa.array(np.asarray(item, dtype=np.int32)),
                             "prediction": pa.array(np.asarray(prediction, dtype=np.float32))}),
                   os.path.join(out_dir, "predictions.parquet"))
