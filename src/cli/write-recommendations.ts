import { writeFile } from "node:fs/promises";
import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { InputError } from "../core/errors.js";
import { tableToCsv, writeTable } from "../io/write-table.js";
import { asWriteInputError } from "../io/write-error.js";
import type { ModelItemRecommendations, ModelRecommendations } from "../model/recommend-from-model.js";

/**
 * Prints or writes recommendations. json follows Spark's recommendForAllUsers shape (`recommendations` lists of
 * {<itemCol>: id, rating}); csv and parquet are flat (user, rank, item, rating); table is for reading.
 */
export async function writeRecommendations(recs: ModelRecommendations | ModelItemRecommendations, format: "table" | "json" | "csv" | "parquet", out?: string): Promise<void> {
  const r = "users" in recs ? recs : forItems(recs);
  if (format === "parquet" && !out) throw new InputError("E_ARGS", "recommend --format parquet needs --out FILE");
  let text: string;
  if (format === "json") {
    text = JSON.stringify({ recommendations: r.users.map((u) => ({ [r.userCol]: u.user, recommendations: u.items.map((i) => ({ [r.itemCol]: i.item, rating: i.rating })) })) }, null, 1) + "\n";
  } else if (format === "table") {
    const lines = [`${r.userCol}\trank\t${r.itemCol}\trating`];
    for (const u of r.users) u.items.forEach((i, j) => lines.push(`${u.user}\t${j + 1}\t${i.item}\t${i.rating.toFixed(4)}`));
    text = lines.join("\n") + "\n";
  } else {
    const t = flat(r);
    if (out) return writeTable(t, out, { format });
    text = tableToCsv(t);
  }
  if (out) await writeFile(out, text).catch((e: unknown) => {
    throw asWriteInputError(e, out);
  });
  else process.stdout.write(text);
}

function flat(r: ModelRecommendations): Table {
  const users: (string | number)[] = [], items: (string | number)[] = [], rank: number[] = [], rating: number[] = [];
  for (const u of r.users) u.items.forEach((i, j) => { users.push(u.user); items.push(i.item); rank.push(j + 1); rating.push(i.rating); });
  const col = (xs: (string | number)[]) => (xs.every((x) => typeof x === "number") ? makeVector(Int32Array.from(xs as number[])) : vectorFromArray(xs.map(String), new Utf8()));
  return new Table({ [r.userCol]: col(users), rank: makeVector(Int32Array.from(rank)), [r.itemCol]: col(items), rating: makeVector(Float32Array.from(rating)) });
}

/**
 * Top users per item in the same shape with the roles swapped, so every format serves both directions: json is then
 * Spark's recommendForItemSubset shape ({<itemCol>, recommendations: [{<userCol>, rating}]}).
 */
function forItems(r: ModelItemRecommendations): ModelRecommendations {
  return { userCol: r.itemCol, itemCol: r.userCol, users: r.items.map((i) => ({ user: i.item, items: i.users.map((u) => ({ item: u.user, rating: u.rating })) })) };
}
