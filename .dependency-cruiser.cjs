/** Enforces the layout's dependency direction (README, "Layout"): kernels <- workers; kernels <- core <- stages <- spec <- model <- engines <- run <- runs <- cli; io never from core/kernels/workers; stages never reach an engine. */
module.exports = {
  forbidden: [
    { name: "kernels-are-pure", severity: "error", comment: "kernels/ imports nothing outside kernels/",
      from: { path: "^src/kernels/" }, to: { pathNot: ["^src/kernels/", "^node_modules", "^(node:)?(fs|path|url|worker_threads)$"], dependencyTypesNot: ["core"] } },
    { name: "workers-only-kernels", severity: "error", comment: "workers/ imports only kernels/",
      from: { path: "^src/workers/" }, to: { pathNot: ["^src/(kernels|workers)/"], dependencyTypesNot: ["core", "npm"] } },
    { name: "core-below-stages", severity: "error", comment: "core/ does not import stages or anything above them",
      from: { path: "^src/core/" }, to: { path: "^(stages/|src/(spec|docs|model|engines|run|runs|io|cli|report)/)" } },
    { name: "stages-never-io", severity: "error", comment: "a stage never imports io/ or the layers above it: its save() returns metadata and Arrow tables",
      from: { path: "^stages/" }, to: { path: "^src/(io|spec|docs|model|engines|run|runs|cli|report)/" } },
    { name: "io-only-from-pipeline-cli", severity: "error", comment: "io/ is used by the layers above stages only",
      from: { path: "^src/(core|kernels|workers)/" }, to: { path: "^src/io/" } },
    { name: "library-not-cli", severity: "error", comment: "the library (spec, docs, model, engines, run, runs) never imports cli/",
      from: { path: "^src/(spec|docs|model|engines|run|runs)/" }, to: { path: "^src/cli/" } },
    { name: "stages-never-spark-connect", severity: "error", comment: "a stage never talks to a server: how it runs on Spark is its file in src/engines/spark-connect/stages/",
      from: { path: "^(stages/|src/(core|kernels|workers)/)" }, to: { path: "^src/engines/spark-connect/" } },
    { name: "spark-connect-not-cli", severity: "error", comment: "the Spark Connect engine is picked by run/ and never imports cli/ nor reads or writes files itself (io/table-format.ts, the one format table, is shared)",
      from: { path: "^src/engines/spark-connect/" }, to: { path: "^src/(cli|io)/", pathNot: "^src/io/table-format\\.ts$" } },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "(^dist/|\\.d\\.ts$|^src/kernels/assembly/)" },
  },
};
