import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // ALS and e2e tests spawn worker threads and CLI processes; forks keep them isolated.
    pool: "forks",
    setupFiles: ["test/setup-fast-check.ts"],
    // Real Spark Connect servers (4.0.x and the newest 4.x), one each per run, for test/spark-connect.
    // One real MLflow tracking server (mlflow 3.17.2, .venv-mlflow) for test/tracking.
    globalSetup: ["test/spark-connect/spark-servers.global.ts", "test/tracking/mlflow-server.global.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
