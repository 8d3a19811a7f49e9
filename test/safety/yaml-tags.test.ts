import { describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { parseYamlText } from "../../src/spec/yaml-file.js";

/** YAML never constructs objects or runs code: custom and language-specific tags are refused; core tags stay data. */
describe("YAML tags in a pipeline file", () => {
  it.each([
    ['rank: !!js/function "function () { globalThis.__pwned = true; return 2 }"', "js/function"],
    ["pattern: !!js/regexp /ab+c/", "js/regexp"],
    ["x: !!js/undefined ''", "js/undefined"],
    ["rank: !foo 2", "!foo"],
    ["rank: !<tag:example.com,2000:app/foo> 2", "tag:example.com,2000:app/foo"],
    ["!foo key: 2", "!foo"],
    ["data: !!binary aGVsbG8=", "binary"],
    ["s: !!set {a, b}", "set"],
    ["t: !!timestamp 2001-12-14", "timestamp"],
    ["o: !!omap [{a: 1}]", "omap"],
  ])("%s is refused (E_YAML)", (line, named) => {
    let caught: unknown;
    try {
      parseYamlText(`name: t\n${line}\n`, "/x/p.yaml", "p.yaml");
    } catch (e) {
      caught = e;
    }
    expect(isInputError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe("E_YAML");
    expect((caught as Error).message).toContain("p.yaml");
    expect((caught as Error).message).toContain(named);
    expect((globalThis as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it("core tags are inert data", () => {
    const f = parseYamlText("a: !!str 5\nb: !!int '7'\nc: !!float 1.5\nd: !!null ''\n", "/x/p.yaml", "p.yaml");
    expect(f.value).toEqual({ a: "5", b: 7, c: 1.5, d: null });
  });

  it("aliases cannot blow up (billion laughs is refused, not expanded)", () => {
    const lol = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
    ].join("\n");
    expect(() => parseYamlText(lol, "/x/p.yaml", "p.yaml")).toThrow();
  });
});
