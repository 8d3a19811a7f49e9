/**
 * The first half of the Spark SQL -> DuckDB rewrite: the lexical differences, which DuckDB's parser cannot even
 * read (backticks, Spark's string literals, `div`, literal suffixes, `LEFT SEMI JOIN`). Spark's lexer is
 * `sql/api/src/main/antlr4/org/apache/spark/sql/catalyst/parser/SqlBaseLexer.g4`; string escapes follow
 * `SparkParserUtils.unescapeSQLString`. Everything after this step is done on DuckDB's own parse tree
 * (spark-sql-tree.ts).
 */

/** A construct the local engine will not run, named as the user wrote it. */
export class RefusedConstruct extends Error {
  constructor(
    readonly construct: string,
    readonly why: string,
  ) {
    super(`${construct}: ${why}`);
  }
}

interface Token {
  kind: "space" | "word" | "quoted" | "string" | "number" | "symbol";
  text: string;
}

/** The statement in DuckDB's lexical form, and whether it mentions `__THIS__` outside literals and comments. */
export function rewriteSparkTokens(statement: string): { sql: string; mentionsThis: boolean } {
  const tokens = tokenize(statement);
  const out: string[] = [];
  let mentionsThis = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "word") {
      const upper = t.text.toUpperCase();
      if (t.text === "__THIS__") mentionsThis = true;
      if (upper === "DIV") {
        out.push("//"); // Spark's integral division operator (truncates toward zero, as DuckDB's // on integers)
        continue;
      }
      if (upper === "RLIKE" || upper === "REGEXP" || upper === "ILIKE")
        throw new RefusedConstruct(t.text, "regular-expression matching differs between Spark (Java regex) and DuckDB (RE2); not supported locally");
      if (upper === "LIKE") throw new RefusedConstruct("LIKE", "Spark's LIKE has a default escape character (\\) that DuckDB's has not; not supported locally");
      if (upper === "LEFT" || upper === "RIGHT") {
        const next = nextWord(tokens, i);
        if (next && /^(SEMI|ANTI)$/i.test(tokens[next].text)) {
          if (upper === "RIGHT") throw new RefusedConstruct(`RIGHT ${tokens[next].text}`, "not valid Spark SQL");
          // Spark's LEFT SEMI / LEFT ANTI JOIN are DuckDB's SEMI / ANTI JOIN.
          i = next;
          out.push(tokens[next].text.toUpperCase());
          continue;
        }
      }
      out.push(t.text);
      continue;
    }
    if (t.kind === "quoted") {
      out.push(`"${t.text.replace(/"/g, '""')}"`);
      continue;
    }
    if (t.kind === "string") {
      // Spark joins adjacent literals ('a' 'b' is 'ab', which is also how Spark reads 'it''s').
      let value = t.text;
      let j = i + 1;
      for (;;) {
        let k = j;
        while (k < tokens.length && tokens[k].kind === "space") k++;
        if (k < tokens.length && tokens[k].kind === "string") {
          value += tokens[k].text;
          j = k + 1;
        } else break;
      }
      i = j - 1;
      out.push(`'${value.replace(/'/g, "''")}'`);
      continue;
    }
    if (t.kind === "number") {
      out.push(numberLiteral(t.text));
      continue;
    }
    if (t.kind === "symbol") {
      if (t.text === "<=>") {
        out.push(" IS NOT DISTINCT FROM ");
        continue;
      }
      if (t.text === "==") {
        out.push("=");
        continue;
      }
      if (t.text === "//" || t.text === "$" || t.text === "?") throw new RefusedConstruct(t.text, "not Spark SQL syntax");
      if (t.text === "[" || t.text === "]" || t.text === "{" || t.text === "}")
        throw new RefusedConstruct(t.text, "arrays, maps and structs are not supported locally (recpipe tables hold numbers, booleans and strings)");
    }
    out.push(t.text);
  }
  return { sql: out.join(""), mentionsThis };
}

function nextWord(tokens: Token[], i: number): number | undefined {
  let k = i + 1;
  while (k < tokens.length && tokens[k].kind === "space") k++;
  return k < tokens.length && tokens[k].kind === "word" ? k : undefined;
}

/** Spark's typed literal suffixes (10L, 1.5D, 2S, 3Y, 1.5F, 1.5BD) as explicit casts DuckDB reads. */
function numberLiteral(text: string): string {
  const m = /^([0-9.]+(?:[eE][+-]?[0-9]+)?)(BD|[LSYDF])?$/i.exec(text);
  if (!m) throw new RefusedConstruct(text, "not a number literal Spark reads");
  const suffix = m[2]?.toUpperCase();
  const type = suffix && { L: "BIGINT", S: "SMALLINT", Y: "TINYINT", D: "DOUBLE", F: "FLOAT", BD: "DECIMAL(38, 18)" }[suffix];
  if (suffix === "BD") throw new RefusedConstruct(text, "decimal literals with a BD suffix are not supported locally");
  return type ? `CAST(${m[1]} AS ${type})` : m[1];
}

const SYMBOLS = ["<=>", "==", "!=", "<>", "<=", ">=", "||", "::", "//", "->", "=>"];

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      let j = i;
      while (j < s.length && /\s/.test(s[j])) j++;
      out.push({ kind: "space", text: s.slice(i, j) });
      i = j;
    } else if (s.startsWith("--", i)) {
      let j = s.indexOf("\n", i);
      if (j < 0) j = s.length;
      out.push({ kind: "space", text: " " });
      i = j;
    } else if (s.startsWith("/*", i)) {
      const j = s.indexOf("*/", i + 2);
      if (j < 0) throw new RefusedConstruct("/*", "a comment that is never closed");
      out.push({ kind: "space", text: " " });
      i = j + 2;
    } else if (c === "'" || c === '"') {
      const { value, end } = sparkString(s, i);
      out.push({ kind: "string", text: value });
      i = end;
    } else if (c === "`") {
      let j = i + 1;
      let name = "";
      for (;;) {
        if (j >= s.length) throw new RefusedConstruct("`", "a backquoted name that is never closed");
        if (s[j] === "`") {
          if (s[j + 1] === "`") {
            name += "`";
            j += 2;
            continue;
          }
          break;
        }
        name += s[j++];
      }
      out.push({ kind: "quoted", text: name });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j])) j++;
      out.push({ kind: "word", text: s.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(s[i + 1] ?? ""))) {
      const m = /^(?:[0-9]*\.?[0-9]+|[0-9]+\.)(?:[eE][+-]?[0-9]+)?(?:BD|[LSYDF])?(?![A-Za-z0-9_])/i.exec(s.slice(i));
      if (!m) {
        // e.g. 1abc: an identifier Spark allows, which we do not.
        const j = /^[0-9A-Za-z_]+/.exec(s.slice(i))![0].length;
        throw new RefusedConstruct(s.slice(i, i + j), "a name starting with a digit; write it in backquotes");
      }
      out.push({ kind: "number", text: m[0] });
      i += m[0].length;
    } else {
      const sym = SYMBOLS.find((x) => s.startsWith(x, i)) ?? c;
      out.push({ kind: "symbol", text: sym });
      i += sym.length;
    }
  }
  return out;
}

/** A Spark string literal ('...' or "...", backslash escapes as unescapeSQLString) from `start`: its value. */
function sparkString(s: string, start: number): { value: string; end: number } {
  const quote = s[start];
  let value = "";
  let i = start + 1;
  for (;;) {
    if (i >= s.length) throw new RefusedConstruct(quote, "a string literal that is never closed");
    const c = s[i];
    if (c === quote) return { value, end: i + 1 };
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) throw new RefusedConstruct(quote, "a string literal that is never closed");
    if (n === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
      i += 6;
      continue;
    }
    const escapes: Record<string, string> = { "0": "\0", b: "\b", n: "\n", r: "\r", t: "\t", Z: "\x1a", "%": "\\%", _: "\\_" };
    value += escapes[n] ?? n;
    i += 2;
  }
}
