/**
 * How a stage runs on a Spark cluster through Spark Connect, declared beside the stage itself (one file per stage).
 * Stages never talk to a server: the Spark Connect engine reads this declaration and does the talking.
 */

/** The Spark type a param is sent as (Spark's ML params are typed: int vs long vs double matters to the JVM). */
export type SparkParamType = "int" | "long" | "double" | "string" | "boolean" | "string[]" | "double[]" | "int[]";

/** Why a stage, as configured, cannot run remotely: the key to change and the reason. */
export interface SparkRefusal {
  key: string;
  reason: string;
}

export interface SparkConnectMapping<P = Record<string, unknown>> {
  /**
   * `ml`: a Spark ML operator (JVM class `className`) fitted, applied or evaluated by the server;
   * `sql`: the engine computes it with Spark SQL (splits, recpipe's ranking metrics, baselines);
   * `client`: the engine drives it from the client (tuning, as PySpark does over Connect).
   */
  runs: "ml" | "sql" | "client";
  /** JVM class sent to the server (`ml` only); it must be on the server's ML allowlist. */
  className?: string;
  /** recpipe params sent to Spark under the same name, with their Spark type. Params not listed are not sent. */
  params?: Readonly<Record<string, SparkParamType>>;
  /** Checked before any cluster work: a setting Spark cannot express. */
  refuse?: (params: P) => SparkRefusal | undefined;
}
