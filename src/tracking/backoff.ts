/** How often and how long a request to the tracking server is retried after 429 or 5xx (or a dropped connection). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  tries: number;
  /** Delay before the first retry; doubled for each further one. */
  baseDelayMs: number;
  /** Cap of one delay, also for a server's Retry-After. */
  maxDelayMs: number;
}

/** 4 tries, 0.25 + 0.5 + 1 s of waiting: a restarting server or a brief overload passes, a dead one fails in seconds. */
export const DEFAULT_RETRY: RetryPolicy = { tries: 4, baseDelayMs: 250, maxDelayMs: 2000 };

/** Statuses worth another try: the server is overloaded or failed, not refusing the request itself. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Delay before retry number `retry` (1-based): exponential, or the server's Retry-After seconds, capped either way. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, retryAfter?: string | null): number {
  const asked = retryAfter != null && /^\d+(\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : undefined;
  const exponential = policy.baseDelayMs * 2 ** (retry - 1);
  return Math.min(policy.maxDelayMs, asked ?? exponential);
}
