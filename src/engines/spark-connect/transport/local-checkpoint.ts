import type { Relation } from "../gen/spark/connect/relations_pb.js";
import type { SparkConnectClient } from "./client.js";
import { cachedRemoteRelation, commandPlan } from "./plan.js";

/**
 * DataFrame.localCheckpoint(eager=True) over Connect: the rows are computed once, kept on the cluster, and come back as
 * a relation naming the server-side DataFrame, so that every plan built on it reads those rows. A persisted relation
 * is reused only when Spark's cache matches a later plan to it, and it matches no plan over a `Sample` (randomSplit's
 * sides): the tuning folds would recompute the split and the fold draw for every fit and evaluation.
 */
export async function localCheckpoint(client: SparkConnectClient, rel: Relation, what: string): Promise<{ relation: Relation; id: string }> {
  const res = await client.execute(commandPlan({ case: "checkpointCommand", value: { relation: rel, local: true, eager: true } }), what);
  for (const r of res) {
    if (r.responseType.case === "checkpointCommandResult" && r.responseType.value.relation) {
      const id = r.responseType.value.relation.relationId;
      return { relation: cachedRemoteRelation(id), id };
    }
  }
  throw new Error(`${what}: the server answered the checkpoint without a relation`);
}

/** Frees a checkpointed DataFrame on the server (the session's release frees any left). */
export async function removeCheckpoint(client: SparkConnectClient, id: string): Promise<void> {
  await client.execute(commandPlan({ case: "removeCachedRemoteRelationCommand", value: { relation: { relationId: id } } }), "releasing checkpointed data");
}
