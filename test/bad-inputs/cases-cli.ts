import { cpSync } from "node:fs";
import path from "node:path";
import type { BadInputCase } from "./case.js";
import { PIPELINE, RATINGS_CSV, write } from "./fixtures.js";

const valid = ({ dir }: { dir: string }) => {
  write(dir, "p.yaml", PIPELINE);
  write(dir, "ratings.csv", RATINGS_CSV);
};

export const cliCases: BadInputCase[] = [
  {
    id: "unknown-option",
    area: "CLI arguments",
    input: "unknown option",
    setup: valid,
    args: ["run", "p.yaml", "--wrokers", "2"],
    exit: 2,
    message: ["unknown option '--wrokers'", "--workers"],
  },
  {
    id: "missing-argument",
    area: "CLI arguments",
    input: "missing required argument",
    setup: valid,
    args: ["run"],
    exit: 2,
    message: ["missing required argument 'file'"],
  },
  {
    id: "unknown-command",
    area: "CLI arguments",
    input: "unknown command",
    setup: valid,
    args: ["rnu", "p.yaml"],
    exit: 2,
    message: ["unknown command 'rnu'", "run"],
  },
  {
    id: "workers-0",
    area: "CLI arguments",
    input: "`--workers 0`",
    setup: valid,
    args: ["run", "p.yaml", "--workers", "0"],
    exit: 2,
    message: ["--workers", "expected an integer >= 1", '"0"'],
  },
  {
    id: "workers-text",
    area: "CLI arguments",
    input: "`--workers two`",
    setup: valid,
    args: ["run", "p.yaml", "--workers", "two"],
    exit: 2,
    message: ["--workers", "expected an integer >= 1", '"two"'],
  },
  {
    id: "pipeline-file-missing",
    area: "CLI arguments",
    input: "pipeline file does not exist",
    setup: () => undefined,
    args: ["run", "nope.yaml"],
    exit: 2,
    message: ["nope.yaml", "no such file"],
  },
  {
    id: "set-unknown-key",
    area: "CLI arguments",
    input: "`--set` on a key that does not exist",
    setup: valid,
    args: ["run", "p.yaml", "--set", "pipeline.als.rnak=4"],
    exit: 2,
    message: ["--set pipeline.als.rnak=4", "rnak", 'did you mean "rank"'],
  },
  {
    id: "set-unknown-stage",
    area: "CLI arguments",
    input: "`--set` on a stage name that does not exist",
    setup: valid,
    args: ["run", "p.yaml", "--set", "pipeline.alss.rank=4"],
    exit: 2,
    message: ["--set pipeline.alss.rank=4", '"alss"', 'did you mean "als"', "string-indexer, als"],
  },
  {
    id: "set-no-equals",
    area: "CLI arguments",
    input: "`--set` without `=`",
    setup: valid,
    args: ["run", "p.yaml", "--set", "pipeline.als.rank"],
    exit: 2,
    message: ["--set pipeline.als.rank", "expected KEY=VALUE"],
  },
  {
    id: "recommend-no-users",
    area: "CLI arguments",
    input: "`recommend` with neither `--user` nor `--all`",
    setup: ({ dir, model }) => cpSync(model, path.join(dir, "model"), { recursive: true }),
    args: ["recommend", "--model", "model"],
    exit: 2,
    message: ["--user", "--all"],
  },
  {
    id: "recommend-k-0",
    area: "CLI arguments",
    input: "`recommend -k 0`",
    setup: ({ dir, model }) => cpSync(model, path.join(dir, "model"), { recursive: true }),
    args: ["recommend", "--model", "model", "--all", "-k", "0"],
    exit: 2,
    message: ["-k", "expected an integer >= 1", '"0"'],
  },
];
