import type { Command } from "commander";
import { fetchDataset, listDatasets } from "../../io/datasets/index.js";
import { createProgress } from "../progress.js";

export function registerDatasets(program: Command): void {
  const ds = program
    .command("datasets")
    .description("known public datasets: list them, or download one (checksum-verified)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ recpipe datasets list\n  $ recpipe datasets fetch ml-100k --dir data   # then: recpipe run pipelines/movielens-100k.yaml",
    );
  ds.command("list")
    .description("the datasets recpipe can fetch, with size and terms")
    .addHelpText("after", "\nExample:\n  $ recpipe datasets list")
    .action(() => {
      for (const d of listDatasets()) {
        const size = d.bytes ? `${(d.bytes / 1e6).toFixed(1)} MB` : "size unknown";
        process.stdout.write(`${d.name.padEnd(18)} ${d.title} (${size})\n${"".padEnd(19)}${d.url}\n`);
      }
      process.stdout.write("\nrecpipe datasets fetch NAME [--dir DIR] downloads, verifies and unpacks one; each has its own terms of use.\n");
    });
  ds.command("fetch")
    .description("download NAME from its publisher, verify its checksum, unpack it, print its terms of use")
    .argument("<name>", "dataset name (see datasets list)")
    .option("--dir <dir>", "where to unpack", "data")
    .option("--mirror <url>", "base URL that replaces the publisher's host (also RECPIPE_DATASETS_MIRROR)")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      "\nExamples:\n  $ recpipe datasets fetch ml-100k --dir data      # -> data/ml-100k/ml-100k/u.data (pipelines/movielens-100k*.yaml)\n  $ recpipe datasets fetch lastfm-2k --dir data    # -> data/lastfm-2k/user_artists.dat (pipelines/lastfm-implicit*.yaml)",
    )
    .action(async (name: string, o: { dir: string; mirror?: string; quiet?: boolean }) => {
      const info = listDatasets().find((d) => d.name === name);
      if (info) process.stderr.write(`Terms of use for ${info.title}:\n${info.terms}\n\n`);
      const progress = createProgress({ quiet: !!o.quiet });
      let task: ReturnType<typeof progress.start> | undefined;
      const r = await fetchDataset(name, {
        dir: o.dir,
        mirror: o.mirror,
        onProgress: (done, total) => {
          task ??= progress.start(`downloading ${name}`, total ?? 0, "B");
          task.tick(done);
        },
      });
      task?.done();
      process.stdout.write(`${name}: ${r.dir} (verified by ${r.verified})\nratings: ${r.ratingsPath}\n`);
    });
}
