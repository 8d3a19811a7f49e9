import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_RETRY } from "../../src/tracking/backoff.js";
import { mlflowKey } from "../../src/tracking/mlflow-keys.js";
import { redactSecrets, resolveTrackingTarget } from "../../src/tracking/tracking-target.js";

const base = { fileLabel: "p.yaml", defaultExperiment: "pipe" };

describe("resolveTrackingTarget", () => {
  it("takes the flag, then MLFLOW_* variables, then the file, for the URI and the experiment separately", () => {
    const file = { mlflow: "http://file:1", experiment: "file-exp" };
    const env = { MLFLOW_TRACKING_URI: "http://env:2/", MLFLOW_EXPERIMENT_NAME: "env-exp" };
    expect(resolveTrackingTarget({ ...base, flag: "http://flag:3", experimentFlag: "flag-exp", env, file })).toMatchObject({
      uri: "http://flag:3",
      experiment: "flag-exp",
      uriFrom: "--track",
    });
    expect(resolveTrackingTarget({ ...base, env, file })).toMatchObject({ uri: "http://env:2", experiment: "env-exp", uriFrom: "MLFLOW_TRACKING_URI" });
    expect(resolveTrackingTarget({ ...base, env: {}, file })).toMatchObject({
      uri: "http://file:1",
      experiment: "file-exp",
      uriFrom: "tracking.mlflow in p.yaml",
    });
    expect(resolveTrackingTarget({ ...base, env: {}, file: { mlflow: "http://file:1" } })?.experiment).toBe("pipe");
    expect(resolveTrackingTarget({ ...base, flag: false, env, file })).toBeUndefined();
    // An experiment alone names no server: nothing is tracked.
    expect(resolveTrackingTarget({ ...base, env: { MLFLOW_EXPERIMENT_NAME: "x" } })).toBeUndefined();
  });

  it("reads a bearer token, or a username and password, and refuses half of a pair", () => {
    const t = resolveTrackingTarget({
      ...base,
      flag: "http://h:1",
      env: { MLFLOW_TRACKING_TOKEN: "abc", MLFLOW_TRACKING_USERNAME: "u", MLFLOW_TRACKING_PASSWORD: "p" },
    });
    expect(t?.auth).toMatchObject({ kind: "bearer", token: "abc" });
    expect(resolveTrackingTarget({ ...base, flag: "http://h:1", env: { MLFLOW_TRACKING_USERNAME: "u", MLFLOW_TRACKING_PASSWORD: "p" } })?.auth).toMatchObject({
      kind: "basic",
      username: "u",
    });
    expect(() => resolveTrackingTarget({ ...base, flag: "http://h:1", env: { MLFLOW_TRACKING_USERNAME: "u" } })).toThrow(
      /MLFLOW_TRACKING_USERNAME is set but MLFLOW_TRACKING_PASSWORD is not/,
    );
  });

  it("refuses what fetch cannot speak to, and credentials in the URL, naming where the URL came from", () => {
    const at = (uri: string) => () => resolveTrackingTarget({ ...base, env: { MLFLOW_TRACKING_URI: uri } });
    expect(at("databricks")).toThrow(/MLFLOW_TRACKING_URI: expected an MLflow tracking server URL/);
    expect(at("file:///tmp/mlruns")).toThrow(/over HTTP/);
    expect(at("https://u:secret@h")).toThrow(/must not hold credentials/);
    expect(at("https://u:secret@h")).not.toThrow(/secret/);
  });
});

describe("helpers", () => {
  it("redacts a token, a password and the basic header's base64", () => {
    expect(redactSecrets("got Bearer t0k", { kind: "bearer", token: "t0k", from: "x" })).toBe("got Bearer ***");
    const b64 = Buffer.from("ann:pw").toString("base64");
    expect(redactSecrets(`pw and ${b64}`, { kind: "basic", username: "ann", password: "pw", from: "x" })).toBe("*** and ***");
  });

  it("backs off exponentially, capped, and follows Retry-After up to the cap", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, DEFAULT_RETRY))).toEqual([250, 500, 1000, 2000, 2000]);
    expect(backoffDelayMs(1, DEFAULT_RETRY, "1")).toBe(1000);
    expect(backoffDelayMs(1, DEFAULT_RETRY, "120")).toBe(2000);
    expect(backoffDelayMs(2, DEFAULT_RETRY, "Wed, 21 Oct 2015 07:28:00 GMT")).toBe(500);
  });

  it("turns metric keys into ones MLflow accepts", () => {
    expect(mlflowKey("ndcgAtK@10")).toBe("ndcgAtK_at_10");
    expect(mlflowKey("baseline.global-mean.rmse")).toBe("baseline.global-mean.rmse");
    expect(mlflowKey("a[0]+b")).toBe("a_0__b");
  });
});
