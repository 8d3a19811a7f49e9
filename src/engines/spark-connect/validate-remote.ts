import type { LoadedPipeline } from "../../spec/load-pipeline-file.js";
import { SparkConnectClient } from "./transport/client.js";
import { assertRunsRemotely } from "./remote-support.js";
import { parseRemoteUrl } from "./transport/remote-url.js";
import { remoteTimeoutOption } from "./transport/remote-timeout.js";

/**
 * `recpipe validate --remote URL`: the file against what the Spark Connect engine supports (exit 2 naming the stage
 * and key), then the server (introduced as `clientName`, recpipe/VERSION): reachable, Spark 4.0 or later. Fits nothing and leaves nothing on the server.
 */
export async function validateRemote(
  loaded: LoadedPipeline,
  remote: string,
  clientName: string,
  remoteTimeout?: number,
): Promise<{ sparkVersion: string; url: string }> {
  assertRunsRemotely(loaded.file, loaded.spec, loaded.registry);
  const url = parseRemoteUrl(remote);
  const client = await SparkConnectClient.connect(url, clientName, remoteTimeoutOption(remoteTimeout));
  await client.releaseSession();
  client.close();
  return { sparkVersion: client.sparkVersion, url: url.display };
}
