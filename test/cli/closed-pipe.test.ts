import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cliMain } from "./run-cli.js";

/** A reader that stops early (`| head`) ends the command quietly with exit 0, as it does for any Unix tool. */
describe("stdout closed by the reader", () => {
  it.each([["--help"], ["schema"], ["explain als"]])("recpipe %s | head -c 1: exit 0 and no EPIPE stack trace", (command) => {
    // Help is written in several pieces, so the pieces after head has exited meet a closed pipe.
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${cliMain}" ${command} | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], {
      encoding: "utf8",
    });
    expect(r.stdout.trim()).toBe("exit=0");
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});
