import { describe, expect, it } from "vitest";
import { javaDoubleToString, javaFloatToString } from "../../src/core/spark-cast.js";

describe("Java Double.toString / Float.toString", () => {
  it.each([
    [5, "5.0"],
    [-5, "-5.0"],
    [0.5, "0.5"],
    [0.001, "0.001"],
    [0.0001, "1.0E-4"],
    [1234567, "1234567.0"],
    [1e7, "1.0E7"],
    [12345678.9, "1.23456789E7"],
    [1.5e-10, "1.5E-10"],
    [0, "0.0"],
    [-0, "-0.0"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
    [0.1 + 0.2, "0.30000000000000004"],
    [100, "100.0"],
  ])("%s -> %s", (d, s) => {
    expect(javaDoubleToString(d)).toBe(s);
  });

  it("formats float32 values with the shortest float digits", () => {
    expect(javaFloatToString(Math.fround(0.1))).toBe("0.1");
    expect(javaFloatToString(Math.fround(3.3))).toBe("3.3");
    expect(javaFloatToString(Math.fround(1e10))).toBe("1.0E10");
    expect(javaFloatToString(2)).toBe("2.0");
  });
});
