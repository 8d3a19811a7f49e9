/** Wall-clock seconds per named phase, in the order phases ran. */
export class Timings {
  readonly seconds: Record<string, number> = {};
  /** The phase running now (a failure can name it). */
  running: string | undefined;

  async time<T>(phase: string, fn: () => T | Promise<T>): Promise<T> {
    const t0 = performance.now();
    this.running = phase;
    try {
      return await fn();
    } finally {
      this.seconds[phase] = round3((this.seconds[phase] ?? 0) + (performance.now() - t0) / 1000);
    }
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
