import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isInputError } from "../../../src/core/errors.js";
import { listDatasets, type DatasetInfo } from "../../../src/io/datasets/catalogue.js";
import { fetchDataset } from "../../../src/io/datasets/fetch-dataset.js";
import { entryDestination } from "../../../src/io/datasets/unzip-safely.js";

const RATINGS = "1\t10\t4\t881250949\n2\t10\t3\t891717742\n2\t20\t5\t878887116\n";
const goodZip = zipSync({ "ml-100k/u.data": strToU8(RATINGS), "ml-100k/README": strToU8("fixture") });
const slipZip = zipSync({ "ml-100k/u.data": strToU8(RATINGS), "../escaped.txt": strToU8("should never be written") });
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

// Only loopback: the server listens on 127.0.0.1 and the mirror points there.
const routes: Record<string, Uint8Array> = {
  "/datasets/movielens/ml-100k.zip": goodZip,
  "/datasets/evil/ml-100k.zip": slipZip,
};
let server: Server;
let mirror: string;
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const body = routes[req.url ?? ""];
    if (!body) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/zip", "content-length": String(body.byteLength) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "recpipe-datasets-"));
  requests = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(overrides: Partial<DatasetInfo>): DatasetInfo {
  const base = listDatasets().find((d) => d.name === "ml-100k")!;
  return { ...base, bytes: goodZip.byteLength, sha256: sha256(goodZip), md5: md5(goodZip), ...overrides };
}

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected the promise to reject");
}

describe("fetchDataset", () => {
  it("downloads, verifies sha256 and unpacks into <dir>/<name>", async () => {
    const progress: [number, number | undefined][] = [];
    const got = await fetchDataset("ml-100k", {
      dir,
      mirror,
      catalogue: [entry({})],
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(got.verified).toBe("sha256");
    expect(got.dir).toBe(path.join(dir, "ml-100k"));
    expect(got.ratingsPath).toBe(path.join(dir, "ml-100k", "ml-100k", "u.data"));
    expect(await readFile(got.ratingsPath, "utf8")).toBe(RATINGS);
    expect(requests).toEqual(["/datasets/movielens/ml-100k.zip"]);
    expect(progress.at(-1)).toEqual([goodZip.byteLength, goodZip.byteLength]);
    // No temporary archive or folder is left beside the result.
    expect(await readdir(dir)).toEqual(["ml-100k"]);
  });

  it("verifies by md5 when the catalogue has no sha256", async () => {
    const got = await fetchDataset("ml-100k", { dir, mirror, catalogue: [entry({ sha256: undefined })] });
    expect(got.verified).toBe("md5");
    expect(await readFile(got.ratingsPath, "utf8")).toBe(RATINGS);
  });

  it("reuses a verified folder without downloading again", async () => {
    await fetchDataset("ml-100k", { dir, mirror, catalogue: [entry({})] });
    const failingFetch = (() => Promise.reject(new Error("network used"))) as typeof fetch;
    const again = await fetchDataset("ml-100k", { dir, mirror, catalogue: [entry({})], fetchImpl: failingFetch });
    expect(again.verified).toBe("sha256");
    expect(requests).toHaveLength(1);
  });

  it("refuses a checksum mismatch before unpacking and leaves nothing behind", async () => {
    const wrong = "0".repeat(64);
    const err = await rejection(fetchDataset("ml-100k", { dir, mirror, catalogue: [entry({ sha256: wrong })] }));
    expect(isInputError(err)).toBe(true);
    expect(err.code).toBe("E_DATA");
    expect(err.message).toContain(`expected ${wrong}`);
    expect(err.message).toContain(`found ${sha256(goodZip)}`);
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports an HTTP 404 and leaves nothing behind", async () => {
    const err = await rejection(
      fetchDataset("ml-100k", {
        dir,
        mirror,
        catalogue: [entry({ url: "https://files.grouplens.org/datasets/missing/ml-100k.zip" })],
      }),
    );
    expect(isInputError(err)).toBe(true);
    expect(err.message).toMatch(/HTTP 404/);
    expect(err.message).toContain(`${mirror}/datasets/missing/ml-100k.zip`);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses an archive with an entry outside the target folder (zip slip)", async () => {
    const err = await rejection(
      fetchDataset("ml-100k", {
        dir,
        mirror,
        catalogue: [entry({ url: "https://files.grouplens.org/datasets/evil/ml-100k.zip", sha256: sha256(slipZip) })],
      }),
    );
    expect(isInputError(err)).toBe(true);
    expect(err.code).toBe("E_DATA");
    expect(err.message).toContain("../escaped.txt");
    expect(await readdir(dir)).toEqual([]);
    expect(await readdir(path.dirname(dir))).not.toContain("escaped.txt");
  });

  it("names the closest dataset for an unknown name", async () => {
    const err = await rejection(fetchDataset("ml-100", { dir, mirror }));
    expect(isInputError(err)).toBe(true);
    expect(err.message).toContain('unknown dataset "ml-100"');
    expect(err.message).toContain('did you mean "ml-100k"');
    expect(requests).toEqual([]);
  });

  it("refuses to overwrite an existing folder that is not a verified copy", async () => {
    await fetchDataset("ml-100k", { dir, mirror, catalogue: [entry({})] });
    const err = await rejection(fetchDataset("ml-100k", { dir, mirror, catalogue: [entry({ sha256: "f".repeat(64) })] }));
    expect(isInputError(err)).toBe(true);
    expect(err.message).toContain("already exists");
  });
});

describe("entryDestination", () => {
  it("accepts nested names and refuses names that escape", () => {
    expect(entryDestination("/data/x", "a/b.csv")).toBe(path.join("/data/x", "a", "b.csv"));
    for (const bad of ["../a", "a/../../b", "/etc/passwd", "..\\a", "C:\\a", "a\0b"]) {
      expect(entryDestination("/data/x", bad), bad).toBeUndefined();
    }
  });
});

describe("the catalogue", () => {
  it("lists the five datasets, each with a publisher URL, a checksum and a ratings file", () => {
    const all = listDatasets();
    expect(all.map((d) => d.name)).toEqual(["ml-100k", "ml-latest-small", "ml-1m", "ml-25m", "lastfm-2k"]);
    for (const d of all) {
      expect(d.url).toMatch(/^https:\/\/files\.grouplens\.org\/datasets\/.+\.zip$/);
      expect(d.sha256 ?? d.md5).toBeDefined();
      if (d.sha256) expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
      if (d.md5) expect(d.md5).toMatch(/^[0-9a-f]{32}$/);
      expect(d.terms.length).toBeGreaterThan(40);
      expect(entryDestination("/x", d.ratingsFile)).toBeDefined();
      expect(["csv", "tsv"]).toContain(d.source.format);
    }
  });

  it("hands out copies, so callers cannot change it", () => {
    listDatasets()[0].sha256 = "changed";
    expect(listDatasets()[0].sha256).not.toBe("changed");
  });
});
