/**
 * Through loopback proxies in front of the shared Spark 4.0.x server, via the built CLI:
 * - a connection that stops passing bytes mid-run hits --remote-timeout (exit 1 naming the server and the phase)
 *   instead of hanging;
 * - TLS: a TLS-terminating proxy with a certificate from the test's own CA (made with openssl here): trusted through
 *   GRPC_DEFAULT_SSL_ROOTS_FILE_PATH the run works; without it the connection is refused with exit 2 and a message
 *   about the certificate.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../cli/run-cli.js";
import { serverInfo, waitForServer } from "./spark-server.js";
import { tcpProxy, tlsProxy, type Proxy } from "./tcp-proxy.js";
import { spawn } from "node:child_process";
import { cliMain } from "../cli/run-cli.js";

const SLOW = `name: stall
seed: 1
source: {type: synthetic-ratings, users: 600, items: 200, rank: 4, density: 0.05, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: skip}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 4, maxIter: 15, regParam: 0.05, coldStartStrategy: drop}
output: {dir: runs}
`;
const QUICK = SLOW.replace("maxIter: 15", "maxIter: 3").replace("name: stall", "name: tls");

let dir: string;
const proxies: Proxy[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-stall-tls-"));
  writeFileSync(path.join(dir, "slow.yaml"), SLOW);
  writeFileSync(path.join(dir, "quick.yaml"), QUICK);
});
afterAll(async () => {
  for (const p of proxies) await p.close();
  rmSync(dir, { recursive: true, force: true });
});
const runsIn = () => (existsSync(path.join(dir, "runs")) ? readdirSync(path.join(dir, "runs")) : []);

/** A CA, and a certificate for localhost signed by it, as a cluster's TLS front end would have. */
function makeCertificates(): { ca: string; key: Buffer; cert: Buffer } {
  const at = (f: string) => path.join(dir, f);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at("ca.key"), "-out", at("ca.pem"), "-days", "2", "-subj", "/CN=recpipe test CA");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", at("server.key"), "-out", at("server.csr"), "-subj", "/CN=localhost");
  writeFileSync(at("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  ssl(
    "x509",
    "-req",
    "-in",
    at("server.csr"),
    "-CA",
    at("ca.pem"),
    "-CAkey",
    at("ca.key"),
    "-CAcreateserial",
    "-out",
    at("server.pem"),
    "-days",
    "2",
    "-extfile",
    at("san.ext"),
  );
  return { ca: at("ca.pem"), key: readFileSync(at("server.key")), cert: readFileSync(at("server.pem")) };
}

describe("a connection that stops answering", () => {
  const info = serverInfo("4.0");
  it.runIf(!("missing" in info))(
    "hits --remote-timeout: exit 1 naming the server, the phase and the limit, no run directory",
    async () => {
      const server = await waitForServer(info);
      const proxy = await tcpProxy(server.port);
      proxies.push(proxy);
      const url = `sc://127.0.0.1:${proxy.port}`;
      const child = spawn(process.execPath, [cliMain, "run", "slow.yaml", "--remote", url, "--remote-timeout", "4"], {
        cwd: dir,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, RECPIPE_DEBUG: "" },
      });
      let stderr = "";
      let stalledAt = 0;
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        // The split is counted and the fit comes next: from now on nothing passes either way. (Not the fit's first
        // progress line: a plain progress line comes only after 5 s, and on a quiet machine this fit is done sooner.)
        if (!stalledAt && /^split: /m.test(stderr)) {
          stalledAt = Date.now();
          proxy.stall();
        }
      });
      const code = await new Promise<number | null>((r) => child.on("close", r));
      expect(stalledAt, stderr).toBeGreaterThan(0);
      expect(code, stderr).toBe(1);
      // 4 s of silence, then the run ends (no request waits for its own deadline after the first one gives up).
      expect(Date.now() - stalledAt, stderr).toBeLessThan(4_000 + 10_000);
      const said = stderr.split("\n").filter((l) => l.startsWith("recpipe:"));
      expect(said, stderr).toHaveLength(1);
      expect(said[0]).toMatch(
        new RegExp(
          `^recpipe: Spark Connect server sc://127\\.0\\.0\\.1:${proxy.port} was lost during fit while fitting .*\\(it stopped answering: nothing for 4 s, the --remote-timeout\\)`,
        ),
      );
      expect(runsIn()).toEqual([]);
      // The shared server has no checkpoint directory and this ALS runs 15 iterations (interval 10): recpipe said so.
      expect(stderr).toMatch(
        /^warning: als \(als\): maxIter 15 is past checkpointInterval 10, and the server has no checkpoint directory \(spark\.checkpoint\.dir is unset\)/m,
      );
    },
    300_000,
  );

  it("refuses a timeout that is not a number of seconds (exit 2)", async () => {
    const r = await runCliAsync(["run", "slow.yaml", "--remote", "sc://127.0.0.1:1", "--remote-timeout", "soon"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--remote-timeout: expected a number of seconds >= 0 \(0: no limit; default 300\); got "soon"/);
    const v = await runCliAsync(["run", "slow.yaml", "--remote-timeout", "5"], { cwd: dir, env: { SPARK_REMOTE: "" } });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/--remote-timeout needs --remote/);
  });
});

describe("TLS through a proxy with its own CA", () => {
  const info = serverInfo("4.0");
  it.runIf(!("missing" in info))(
    "runs with the CA in GRPC_DEFAULT_SSL_ROOTS_FILE_PATH; without it, exit 2 about the certificate",
    async () => {
      const server = await waitForServer(info);
      const certs = makeCertificates();
      const proxy = await tlsProxy(server.port, certs.key, certs.cert);
      proxies.push(proxy);
      const url = `sc://localhost:${proxy.port}/;use_ssl=true`;

      const refused = await runCliAsync(["run", "quick.yaml", "--remote", url, "--quiet"], { cwd: dir, env: { GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: "" } });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(
        /Spark Connect server sc:\/\/localhost:\d+\/;use_ssl=true: the TLS certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/,
      );
      expect(refused.stderr).toMatch(/GRPC_DEFAULT_SSL_ROOTS_FILE_PATH/);
      expect(runsIn()).toEqual([]);

      const missingCa = await runCliAsync(["validate", "quick.yaml", "--remote", url], {
        cwd: dir,
        env: { GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: path.join(dir, "no-such-ca.pem") },
      });
      expect(missingCa.code).toBe(2);
      expect(missingCa.stderr).toMatch(/GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=.*no-such-ca\.pem: cannot read the CA certificates file \(ENOENT\)/);

      const ok = await runCliAsync(["run", "quick.yaml", "--remote", url, "--quiet", "--json"], {
        cwd: dir,
        env: { GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: certs.ca },
      });
      expect(ok.code, ok.stderr).toBe(0);
      const out = JSON.parse(ok.stdout) as { runDir: string; metrics: Record<string, number> };
      expect(out.metrics.rmse).toBeGreaterThan(0);
      const manifest = JSON.parse(readFileSync(path.join(out.runDir, "manifest.json"), "utf8")) as { engine?: { remote?: string } };
      expect(JSON.stringify(manifest)).toContain(`sc://localhost:${proxy.port}/;use_ssl=true`);
    },
    300_000,
  );
});
