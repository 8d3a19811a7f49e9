import type { Command } from "commander";
import { InputError } from "../../core/errors.js";
import { quietContext } from "../../core/run-context.js";
import { loadModel } from "../../model/load-model.js";
import { recommendFromModel, recommendItemsFromModel } from "../../model/recommend-from-model.js";
import { collect, parsePositiveInt } from "../options.js";
import { similarItemsFromModel, similarColumnName } from "../../model/similar-items-for.js";
import { joinIntoItemRecommendations, joinIntoModelRecommendations, savedItemAttributes } from "../../engines/local/join-item-attributes.js";
import type { LoadedModel } from "../../model/load-model.js";
import type { ModelItemRecommendations, ModelRecommendations } from "../../model/recommend-from-model.js";
import { writeRecommendations } from "../write-recommendations.js";

export function registerRecommend(program: Command): void {
  program
    .command("recommend")
    .description("top-k items for users (or top-k users for items, or the most similar items) from a saved model (recpipe's or Spark's), with the original ids")
    .requiredOption("--model <dir>", "model directory (a run's model/ or a Spark-saved ALSModel/PipelineModel/CrossValidatorModel)")
    .option("--user <id>", "a user id as in the data; repeatable", collect, [])
    .option("--item <id>", "an item id as in the data: its top users (Spark's recommendForItemSubset); repeatable", collect, [])
    .option(
      "--similar-items <id>",
      "an item id as in the data: the items most similar to it (cosine of ALS item factors, or item-knn similarity); repeatable",
      collect,
      [],
    )
    .option("--all", "every user the model knows")
    .option("-k, --k <n>", "items per user", parsePositiveInt, 10)
    .option("--exclude-seen <file>", "ratings file (csv/tsv/parquet/...) whose (user, item) pairs are never recommended")
    .option("--format <format>", "table | json | csv | parquet", "table")
    .option("--out <file>", "write to a file instead of stdout (required for parquet)")
    .option("--workers <n>", "worker threads (default: all cores)", parsePositiveInt)
    .addHelpText(
      "after",
      "\nExamples:\n  $ recpipe recommend --model runs/quickstart-20261123-101500/model --user u17 -k 5\n  $ recpipe recommend --model runs/x/model --all -k 20 --format parquet --out recs.parquet\n  $ recpipe recommend --model runs/x/model --item i42 -k 10   # the 10 users most likely to rate item i42",
    )
    .action(
      async (o: {
        model: string;
        user: string[];
        item: string[];
        similarItems: string[];
        all?: boolean;
        k: number;
        excludeSeen?: string;
        format: string;
        out?: string;
        workers?: number;
      }) => {
        const given = [o.user.length > 0 && "--user", o.item.length > 0 && "--item", o.similarItems.length > 0 && "--similar-items", o.all && "--all"].filter(
          Boolean,
        );
        if (given.length === 0) throw new InputError("E_ARGS", "recommend: give --user ID, --item ID or --similar-items ID (repeatable), or --all");
        if (given.length > 1) throw new InputError("E_ARGS", `recommend: give one of --user, --item, --similar-items or --all; got ${given.join(" and ")}`);
        if (!["table", "json", "csv", "parquet"].includes(o.format))
          throw new InputError("E_ARGS", `recommend --format: expected table, json, csv or parquet; got "${o.format}"`);
        const loaded = await loadModel(o.model);
        const ctx = quietContext({
          workers: o.workers ?? (await import("node:os")).availableParallelism(),
          warn: (m) => process.stderr.write(`warning: ${m}\n`),
        });
        if (o.similarItems.length > 0 && o.excludeSeen)
          throw new InputError(
            "E_ARGS",
            "recommend: --exclude-seen applies to --user, --item and --all; --similar-items lists items, not a user's unseen ones",
          );
        const recs =
          o.similarItems.length > 0
            ? await similarItemsFromModel(loaded.model, o.similarItems, o.k, ctx)
            : o.item.length > 0
              ? await recommendItemsFromModel(loaded, { items: o.item, k: o.k, excludeSeenFile: o.excludeSeen }, ctx)
              : await recommendFromModel(loaded, { users: o.all ? "all" : o.user, k: o.k, excludeSeenFile: o.excludeSeen }, ctx);
        await writeRecommendations(
          withSavedAttributes(loaded, recs, o.similarItems.length > 0, ctx.warn),
          o.format as "table" | "json" | "csv" | "parquet",
          o.out,
        );
      },
    );
}

/** The item attributes a run saved with the model (`items:` in its pipeline file), beside the listed items. */
function withSavedAttributes(
  loaded: LoadedModel,
  recs: ModelRecommendations | ModelItemRecommendations,
  similar: boolean,
  warn: (m: string) => void,
): ModelRecommendations | ModelItemRecommendations {
  const attrs = savedItemAttributes(loaded);
  if (!attrs) return recs;
  if (!("users" in recs)) return joinIntoItemRecommendations(recs, attrs, warn);
  return similar
    ? joinIntoModelRecommendations(recs, attrs, { key: true, value: true, valueRename: similarColumnName }, warn)
    : joinIntoModelRecommendations(recs, attrs, { key: false, value: true }, warn);
}
