// Its own file, free of the Spark Connect client and stages: validation asks it of every run, local ones included,
// and importing the client (gRPC, protobuf) would cost every command a third of a second of start-up.

/** Schemes a Spark cluster reads itself; any other path is a local file that recpipe reads and uploads. */
export const CLUSTER_SCHEMES = ["s3a", "s3", "hdfs", "gs", "abfss", "abfs", "wasbs", "file", "dbfs"];

export function isClusterPath(path: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(path);
  return !!m && CLUSTER_SCHEMES.includes(m[1].toLowerCase());
}
