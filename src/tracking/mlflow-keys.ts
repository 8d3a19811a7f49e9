/** MLflow's limits (mlflow/utils/validation.py, 3.17.2). */
export const MAX_PARAMS_PER_BATCH = 100;
export const MAX_TAGS_PER_BATCH = 100;
export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const MAX_KEY_LENGTH = 250;

/**
 * A param or metric key MLflow accepts: letters, digits, `_ - . / : space` only, so `ndcgAtK@10` becomes
 * `ndcgAtK_at_10` (as MLflow's own `precision_at_10`); any other character becomes `_`.
 */
export function mlflowKey(key: string): string {
  return key
    .replace(/@/g, "_at_")
    .replace(/[^\w.\- :/]/g, "_")
    .slice(0, MAX_KEY_LENGTH);
}

/** A param value as text: strings as they are, everything else as JSON (lists, mappings), cut to MLflow's limit. */
export function paramValue(v: unknown): string {
  const text = typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v);
  return truncate(text, MAX_PARAM_VALUE_LENGTH);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
