/** Enforces the layout's dependency direction (README, "Layout"): kernels <- workers; kernels <- core <- stages <- pipeline <- cli; io only from pipeline/cli; spark-connect/ sits beside pipeline/ (stages never reach it). */
module.exports = {
  forbidden: [
    { name: "kernels-are-pure", severity: "error", comment: "kernels/ imports nothing outside kernels/",
      from: { path: "^src/kernels/" }, to: { pathNot: ["^src/kernels/", "^node_modules", "^(node:)?(fs|path|url|worker_threads)$"], dependencyTypesNot: ["core"] } },
    { name: "workers-only-kernels", severity: "error", comment: "workers/ imports only kernels/",
      from: { path: "^src/workers/" }, to: { pathNot: ["^src/(kernels|workers)/"], dependencyTypesNot: ["core", "npm"] } },
    { name: "core-below-stages", severity: "error", comment: "core/ does not import stages, pipeline, io, cli or report",
      from: { path: "^src/core/" }, to: { path: "^(stages/|src/(pipeline|io|cli|report)/)" } },
    { name: "stages-never-io", severity: "error", comment: "a stage never imports io/, pipeline/, cli/ or report/: its save() returns metadata and Arrow tables",
      from: { path: "^stages/" }, to: { path: "^src/(io|pipeline|cli|report)/" } },
    { name: "io-only-from-pipeline-cli", severity: "error", comment: "io/ is used by pipeline/ and cli/ only",
      from: { path: "^src/(core|kernels|workers)/" }, to: { path: "^src/io/" } },
    { name: "pipeline-not-cli", severity: "error", comment: "pipeline/ never imports cli/",
      from: { path: "^src/pipeline/" }, to: { path: "^src/cli/" } },
    { name: "stages-never-spark-connect", severity: "error", comment: "a stage declares its Spark mapping (core/spark-connect-mapping.ts) but never talks to a server",
      from: { path: "^(stages/|src/(core|kernels|workers)/)" }, to: { path: "^src/engines/spark-connect/" } },
    { name: "spark-connect-not-cli", severity: "error", comment: "the Spark Connect engine is picked by pipeline/ and never imports cli/",
      from: { path: "^src/engines/spark-connect/" }, to: { path: "^src/(cli|io)/" } },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "(^dist/|\\.d\\.ts$|^src/kernels/assembly/)" },
  },
};
