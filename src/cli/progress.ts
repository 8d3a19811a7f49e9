import cliProgress from "cli-progress";
import type { ProgressSink, ProgressTask } from "../core/run-context.js";

/**
 * Progress for long work: a bar on a TTY, a plain line every few seconds otherwise (CI logs), nothing with --quiet.
 * Always on stderr, so `--json` keeps stdout to exactly one JSON object.
 */
export function createProgress(opts: { quiet: boolean; stream?: NodeJS.WriteStream }): ProgressSink {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { start: () => ({ tick: () => undefined, done: () => undefined }) };
  if (stream.isTTY) return { start: (label, total, unit) => barTask(stream, label, total, unit) };
  return { start: (label, total, unit) => lineTask(stream, label, total, unit) };
}

function barTask(stream: NodeJS.WriteStream, label: string, total: number, unit = ""): ProgressTask {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% {value}/{total}${unit ? ` ${unit}` : ""} {duration_formatted} (eta {eta_formatted})`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (d) => bar.update(d), done: () => bar.stop() };
}

function lineTask(stream: NodeJS.WriteStream, label: string, total: number, unit = ""): ProgressTask {
  const t0 = Date.now();
  let last = t0;
  const line = (done: number) => {
    const s = (Date.now() - t0) / 1000;
    const eta = done > 0 && done < total ? ` eta ${((s * (total - done)) / done).toFixed(0)}s` : "";
    stream.write(`${label}: ${done}/${total}${unit ? ` ${unit}` : ""} (${s.toFixed(1)}s${eta})\n`);
  };
  return {
    tick(done) {
      const now = Date.now();
      if (now - last >= 5000) {
        last = now;
        line(done);
      }
    },
    done(failed) {
      if (!failed && Date.now() - t0 >= 5000) line(total);
    },
  };
}
