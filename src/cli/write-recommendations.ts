import { writeFile } from "node:fs/promises";
import { Float64, makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { InputError } from "../core/errors.js";
import { tableToCsv, writeTable } from "../io/write-table.js";
import { asWriteInputError } from "../io/write-error.js";
import type { ModelItemRecommendations, ModelRecommendations } from "../model/recommend-from-model.js";
import type { AttributeValue } from "../model/item-attributes.js";

/**
 * Prints or writes recommendations. json follows Spark's recommendForAllUsers shape (`recommendations` lists of
 * {<itemCol>: id, rating}); csv and parquet are flat (user, rank, item, rating); table is for reading.
 */
export async function writeRecommendations(
  recs: ModelRecommendations | ModelItemRecommendations,
  format: "table" | "json" | "csv" | "parquet",
  out?: string,
): Promise<void> {
  const r = "users" in recs ? recs : forItems(recs);
  if (format === "parquet" && !out) throw new InputError("E_ARGS", "recommend --format parquet needs --out FILE");
  let text: string;
  const score = r.scoreCol ?? "rating";
  const keyAttrs = r.keyAttributes ?? [];
  const valueAttrs = r.valueAttributes ?? [];
  const named = (names: string[], values: AttributeValue[] | undefined) => Object.fromEntries(names.map((n, i) => [n, values?.[i] ?? null]));
  if (format === "json") {
    text =
      JSON.stringify(
        {
          recommendations: r.users.map((u) => ({
            [r.userCol]: u.user,
            ...named(keyAttrs, u.attributes),
            recommendations: u.items.map((i) => ({ [r.itemCol]: i.item, [score]: i.rating, ...named(valueAttrs, i.attributes) })),
          })),
        },
        null,
        1,
      ) + "\n";
  } else if (format === "table") {
    const lines = [[r.userCol, "rank", r.itemCol, score, ...keyAttrs, ...valueAttrs].join("\t")];
    const cells = (vs: AttributeValue[] | undefined, n: number) => Array.from({ length: n }, (_, i) => String(vs?.[i] ?? ""));
    for (const u of r.users)
      u.items.forEach((i, j) =>
        lines.push([u.user, j + 1, i.item, i.rating.toFixed(4), ...cells(u.attributes, keyAttrs.length), ...cells(i.attributes, valueAttrs.length)].join("\t")),
      );
    text = lines.join("\n") + "\n";
  } else {
    const t = flat(r);
    if (out) return writeTable(t, out, { format });
    text = tableToCsv(t);
  }
  if (out)
    await writeFile(out, text).catch((e: unknown) => {
      throw asWriteInputError(e, out);
    });
  else process.stdout.write(text);
}

function flat(r: ModelRecommendations): Table {
  const users: (string | number)[] = [],
    items: (string | number)[] = [],
    rank: number[] = [],
    rating: number[] = [];
  const keyAttrs = r.keyAttributes ?? [],
    valueAttrs = r.valueAttributes ?? [];
  const attrs: AttributeValue[][] = [...keyAttrs, ...valueAttrs].map(() => []);
  for (const u of r.users) {
    u.items.forEach((i, j) => {
      users.push(u.user);
      items.push(i.item);
      rank.push(j + 1);
      rating.push(i.rating);
      keyAttrs.forEach((_, a) => attrs[a].push(u.attributes?.[a] ?? null));
      valueAttrs.forEach((_, a) => attrs[keyAttrs.length + a].push(i.attributes?.[a] ?? null));
    });
  }
  const col = (xs: (string | number)[]) =>
    xs.every((x) => typeof x === "number") ? makeVector(Int32Array.from(xs as number[])) : vectorFromArray(xs.map(String), new Utf8());
  const attrCols = Object.fromEntries([...keyAttrs, ...valueAttrs].map((name, a) => [name, attributeVector(attrs[a])]));
  return new Table({
    [r.userCol]: col(users),
    rank: makeVector(Int32Array.from(rank)),
    [r.itemCol]: col(items),
    [r.scoreCol ?? "rating"]: makeVector(Float32Array.from(rating)),
    ...attrCols,
  });
}

/** An attribute column: numbers stay numbers (float64), anything else is text; a missing value is null. */
function attributeVector(xs: AttributeValue[]) {
  if (xs.every((x) => x === null || typeof x === "number")) return vectorFromArray(xs as (number | null)[], new Float64());
  return vectorFromArray(
    xs.map((x) => (x === null ? null : String(x))),
    new Utf8(),
  );
}

/**
 * Top users per item in the same shape with the roles swapped, so every format serves both directions: json is then
 * Spark's recommendForItemSubset shape ({<itemCol>, recommendations: [{<userCol>, rating}]}).
 */
function forItems(r: ModelItemRecommendations): ModelRecommendations {
  return {
    userCol: r.itemCol,
    itemCol: r.userCol,
    keyAttributes: r.itemAttributes,
    users: r.items.map((i) => ({ user: i.item, attributes: i.attributes, items: i.users.map((u) => ({ item: u.user, rating: u.rating })) })),
  };
}
