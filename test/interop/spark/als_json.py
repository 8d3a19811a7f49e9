"""Turns ALSModel outputs into plain JSON values, in an order that does not depend on Spark's partitioning."""
from fast_local_spark import json_float

ROW_COL = "__interop_row"


def read_pairs(path):
    """PAIRS.json: a list of [user, item] pairs (ids or labels), or of {column: value} objects."""
    import json

    with open(path, "r", encoding="utf-8") as f:
        pairs = json.load(f)
    if not isinstance(pairs, list):
        raise SystemExit("%s: expected a JSON list of [user, item] pairs, found %s" % (path, type(pairs).__name__))
    return pairs


def pairs_frame(spark, pairs, user_col, item_col):
    """A DataFrame of the pairs with a row-number column, so transform output can be put back in input order."""
    rows = []
    for n, p in enumerate(pairs):
        if isinstance(p, dict):
            rows.append((n, p[user_col], p[item_col]))
        else:
            rows.append((n, p[0], p[1]))
    sample = rows[0] if rows else (0, 0, 0)
    to_type = lambda v: "string" if isinstance(v, str) else "int"  # noqa: E731
    schema = "%s int, %s %s, %s %s" % (ROW_COL, user_col, to_type(sample[1]), item_col, to_type(sample[2]))
    return spark.createDataFrame(rows, schema)


def predictions_json(transformed, user_col, item_col, prediction_col):
    rows = transformed.orderBy(ROW_COL).select(user_col, item_col, prediction_col).collect()
    return [{"user": r[0], "item": r[1], "prediction": json_float(r[2])} for r in rows]


def recommendations_json(als_model, k, user_labels=None, item_labels=None):
    """recommendForAllUsers(k) as [{user, recs: [[item, rating], ...]}] sorted by user id; ratings keep Spark's order."""
    user_col, item_col = als_model.getUserCol(), als_model.getItemCol()
    out = []
    for r in als_model.recommendForAllUsers(k).collect():
        entry = {"user": r[user_col], "recs": [[rec[item_col], json_float(rec["rating"])] for rec in r["recommendations"]]}
        if user_labels is not None:
            entry["userLabel"] = user_labels[r[user_col]]
            entry["itemLabels"] = [item_labels[rec[item_col]] for rec in r["recommendations"]]
        out.append(entry)
    out.sort(key=lambda e: e["user"])
    return out


def factors_json(frame):
    """{id: [float, ...]} with float32 values widened exactly to JSON doubles."""
    return {str(r["id"]): [float(x) for x in r["features"]] for r in frame.collect()}
