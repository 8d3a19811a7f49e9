/**
 * One byte range of a CSV/TSV file (its first byte starts a line, its last ends one) parsed with the one-thread
 * reader's DelimitedParser, for parallel-delimited.ts. Anything the join could not take as is (a quote byte, any
 * error) comes back as a refusal, never as an error of its own: the file is then read again on one thread.
 */
import { open } from "node:fs/promises";
import type { DeclaredType } from "./column-builders.js";
import { DelimitedParser } from "./delimited-reader.js";

/** What a range's parser is told (the file's options with the header already read: its names are the columns). */
export interface RangeTask {
  file: string;
  from: number;
  to: number;
  delimiter: string;
  encoding: "utf-8" | "latin1";
  columns?: string[];
  types?: Record<string, DeclaredType>;
  nullValues?: string[];
}

export interface RangeColumn {
  /** The Arrow type's name: the join takes Int32, Float64, Float32 and Int64 columns only. */
  type: string;
  values: Int32Array | Float64Array | Float32Array | BigInt64Array;
  nullCount: number;
  metadata: Array<[string, string]>;
}

/** A range's columns, or why it cannot be joined. */
export type RangeReply = { ok: true; rows: number; names: string[]; columns: RangeColumn[] } | { ok: false; reason: string };

export async function parseRange(task: RangeTask): Promise<RangeReply> {
  try {
    return await parse(task);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

const BLOCK_BYTES = 8 << 20;
const QUOTE = 34;

async function parse(task: RangeTask): Promise<RangeReply> {
  const parser = new DelimitedParser(task.file, { ...task, header: false }, new Map());
  const handle = await open(task.file, "r");
  try {
    const span = task.to - task.from;
    let buf = Buffer.alloc(Math.min(BLOCK_BYTES, span + 1));
    let filled = 0;
    let offset = task.from;
    for (;;) {
      const { bytesRead } = await handle.read(buf, filled, Math.min(buf.length - filled, task.to - offset), offset);
      // Quoted fields may hold line feeds, so a range cut could have fallen inside one: such files are read on one thread.
      if (buf.subarray(filled, filled + bytesRead).includes(QUOTE)) return { ok: false, reason: "quoted fields" };
      offset += bytesRead;
      filled += bytesRead;
      const final = bytesRead === 0 || offset >= task.to;
      const consumed = parser.parseBlock(buf, 0, filled, final);
      if (final) break;
      if (parser.rows > 0 && !parser.reserved) parser.reserveFor(span, offset - task.from - (filled - consumed));
      const left = filled - consumed;
      if (left === buf.length) {
        const bigger = Buffer.alloc(buf.length * 2);
        buf.copy(bigger);
        buf = bigger;
      } else if (consumed > 0) buf.copyWithin(0, consumed, filled);
      filled = left;
    }
    const table = parser.finish(task.file);
    const columns: RangeColumn[] = table.schema.fields.map((f, i) => {
      const d = table.getChildAt(i)!.data[0];
      return {
        type: String(d.type),
        values: d.values as RangeColumn["values"],
        nullCount: d.nullCount,
        metadata: [...f.metadata],
      };
    });
    return { ok: true, rows: table.numRows, names: table.schema.fields.map((f) => f.name), columns };
  } finally {
    await handle.close();
  }
}
