import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/** Help that helps: every command's --help ends with at least one runnable example; explain reads like explainParams. */
const cli = join(process.cwd(), "dist/src/cli/main.js");

function recpipe(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, RECPIPE_DEBUG: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(cli)) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
});

describe("--help", () => {
  const commands = [
    [],
    ["run"],
    ["validate"],
    ["explain"],
    ["schema"],
    ["recommend"],
    ["predict"],
    ["inspect"],
    ["reproduce"],
    ["runs"],
    ["compare"],
    ["log"],
    ["datasets"],
    ["datasets", "list"],
    ["datasets", "fetch"],
  ];
  const help = new Map<string, string>();
  // Node start-up dominates; the help texts are gathered concurrently once.
  beforeAll(async () => {
    await Promise.all(
      commands.map(
        (c) =>
          new Promise<void>((done, fail) =>
            execFile(process.execPath, [cli, ...c, "--help"], { encoding: "utf8" }, (err, stdout) =>
              err ? fail(err) : (help.set(c.join(" "), stdout), done()),
            ),
          ),
      ),
    );
  });

  for (const c of commands) {
    it(`recpipe ${[...c, "--help"].join(" ")} shows an example`, () => {
      const out = help.get(c.join(" "))!;
      expect(out).toMatch(/\nExamples?:\n {2}\$ recpipe /);
      // The example runs the command it documents (the top-level help shows several).
      if (c.length) expect(out).toContain(`$ recpipe ${c.join(" ")}`);
    });
  }

  it("every example pipeline the help mentions exists", () => {
    const all = [...help.values()].join("\n");
    for (const m of all.matchAll(/pipelines\/[\w.-]+\.yaml/g)) expect(existsSync(m[0]), m[0]).toBe(true);
  });
});

describe("recpipe explain als", () => {
  it("prints one `name: doc (default: value, ...)` line per param, as Spark's explainParams()", () => {
    const out = recpipe(["explain", "als"]).stdout;
    expect(out).toMatch(/^rank: rank of the factorization .*\(default: 10, integer >= 1\)$/m);
    // Doubles as Spark prints them, strings bare, enums with their allowed values.
    expect(out).toMatch(/^alpha: .*\(default: 1\.0, number >= 0\)$/m);
    expect(out).toMatch(/^coldStartStrategy: .*\(default: nan, allowed: "nan"\|"drop"\)$/m);
    // No default: Spark says "undefined"; no meaningless safe-integer bounds.
    expect(out).toMatch(/^seed: .*\(undefined, integer\)$/m);
    expect(out).not.toMatch(/9007199254740991/);
  });
});

describe("a bad param value names its allowed values", () => {
  it("coldStartStrategy: foo lists nan and drop, with the --set it came from, exit 2", () => {
    const r = recpipe(["validate", "pipelines/quickstart.yaml", "--set", "pipeline.als.coldStartStrategy=foo"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--set pipeline\.als\.coldStartStrategy=foo: pipeline\[1\] \(als\)\.coldStartStrategy must be one of "nan", "drop"; got "foo"/);
  });

  it("a misspelled metricName lists the evaluator's metrics", () => {
    const r = recpipe(["validate", "pipelines/quickstart.yaml", "--set", "evaluate.0.metricName=rmsee"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metricName must be one of "rmse", "mse", "mae", "r2", "var"; got "rmsee"/);
  });

  it("a misspelled param suggests the right one", () => {
    const r = recpipe(["validate", "pipelines/quickstart.yaml", "--set", "pipeline.als.nonnegativ=true"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nonnegativ is not a known key \(did you mean "nonnegative"\?\)/);
  });
});
