import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cliMain } from "./run-cli.js";

/** A reader that stops early (`| head`) ends the command quietly with exit 0, as it does for any Unix tool. */
describe("stdout closed by the reader", () => {
  it("recpipe schema | head -c 1: exit 0 and no EPIPE stack trace", () => {
    // schema prints ~40 KB, more than a pipe buffer holds, so the write after head exits always meets a closed pipe.
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${cliMain}" schema | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("exit=0");
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});
