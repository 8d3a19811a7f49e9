import type { FunnelStep } from "./funnel.js";

/** `reproduce`: the re-run's funnel against the recorded one, one line per step that differs. */
export function funnelDifferences(recorded: readonly FunnelStep[] | undefined, fresh: readonly FunnelStep[] | undefined): string[] {
  // Run directories written before recpipe recorded a funnel have nothing to compare.
  if (!recorded) return [];
  if (!fresh) return ["prepare funnel: recorded in manifest.json but not by the re-run"];
  const out: string[] = [];
  if (recorded.length !== fresh.length) out.push(`prepare funnel: ${fresh.length} entries vs recorded ${recorded.length}`);
  const keys = ["rows", "users", "items", "duplicatePairs"] as const;
  recorded.forEach((old, i) => {
    const neu = fresh[i];
    if (!neu) return;
    const what = `${old.step}${old.type ? ` (${old.type})` : ""}`;
    if (neu.step !== old.step || neu.type !== old.type) out.push(`prepare funnel: entry ${i} is ${neu.step} (${neu.type ?? "source"}) vs recorded ${what}`);
    for (const k of keys) if (neu[k] !== old[k]) out.push(`prepare funnel ${what}: ${k} ${neu[k]} vs recorded ${old[k]}`);
  });
  return out;
}
