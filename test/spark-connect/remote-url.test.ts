import { describe, expect, it } from "vitest";
import { isLoopback, parseRemoteUrl, redactUrl } from "../../src/engines/spark-connect/transport/remote-url.js";

describe("sc:// URLs", () => {
  it("reads host, port (default 15002), use_ssl and the token, and never shows the token", () => {
    const u = parseRemoteUrl("sc://spark.example.com:443/;use_ssl=true;token=s3cr3t", {});
    expect(u).toMatchObject({ host: "spark.example.com", port: 443, useSsl: true, token: "s3cr3t" });
    expect(u.display).toBe("sc://spark.example.com:443/;use_ssl=true;token=***");
    expect(parseRemoteUrl("sc://localhost", {}).port).toBe(15002);
    expect(parseRemoteUrl("sc://[::1]:1234", {})).toMatchObject({ host: "::1", port: 1234 });
  });

  it("takes the token from SPARK_CONNECT_AUTHENTICATE_TOKEN when the URL has none", () => {
    expect(parseRemoteUrl("sc://127.0.0.1:15002", { SPARK_CONNECT_AUTHENTICATE_TOKEN: "t" }).token).toBe("t");
  });

  it("a token means TLS to any host but loopback (PySpark's rule); use_ssl=false with a token to another host is refused, without echoing the token", () => {
    expect(parseRemoteUrl("sc://10.1.2.3:15002/;token=s3cr3t", {})).toMatchObject({ useSsl: true, token: "s3cr3t" });
    expect(parseRemoteUrl("sc://spark.example.com", { SPARK_CONNECT_AUTHENTICATE_TOKEN: "t" }).useSsl).toBe(true);
    const call = () => parseRemoteUrl("sc://10.1.2.3:15002/;token=s3cr3t;use_ssl=false", {});
    expect(call).toThrow(/refusing to send an authentication token over plain text to 10\.1\.2\.3/);
    expect(call).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => call()).not.toThrow(/s3cr3t/);
    expect(() => parseRemoteUrl("sc://spark.example.com/;use_ssl=false", { SPARK_CONNECT_AUTHENTICATE_TOKEN: "t" })).toThrow(/drop ;use_ssl=false/);
    // Loopback (a tunnel, a local server) is fine in plain text, and stays plain text.
    expect(parseRemoteUrl("sc://127.0.0.1:1/;token=x", {})).toMatchObject({ token: "x", useSsl: false });
    expect(parseRemoteUrl("sc://spark.example.com", {}).useSsl).toBe(false);
  });

  it("reads a Databricks URL: other parameters become gRPC headers (as PySpark's ChannelBuilder.metadata), the token never shows", () => {
    const u = parseRemoteUrl("sc://dbc-1234.cloud.databricks.com:443/;token=dapiSECRET;x-databricks-cluster-id=0123-456789-abcdef", {});
    expect(u).toMatchObject({
      host: "dbc-1234.cloud.databricks.com",
      port: 443,
      useSsl: true,
      token: "dapiSECRET",
      headers: [["x-databricks-cluster-id", "0123-456789-abcdef"]],
    });
    expect(u.display).toBe("sc://dbc-1234.cloud.databricks.com:443/;token=***;x-databricks-cluster-id=0123-456789-abcdef");
    expect(JSON.stringify({ ...u, token: undefined })).not.toContain("dapiSECRET");
    // Known keys are never headers; a header name gRPC would refuse, or one it sets itself, is exit 2.
    expect(parseRemoteUrl("sc://h/;use_ssl=true;user_id=me;x-a=1;x-b=2", {}).headers).toEqual([
      ["x-a", "1"],
      ["x-b", "2"],
    ]);
    expect(() => parseRemoteUrl("sc://h/;X-Upper=1", {})).toThrow(/parameter "X-Upper" cannot be sent as a gRPC header/);
    expect(() => parseRemoteUrl("sc://h/;authorization=Basic", {})).toThrow(/parameter "authorization" cannot be sent as a gRPC header/);
    expect(() => parseRemoteUrl("sc://h/;x-blob-bin=AA", {})).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it("names what is wrong with a malformed URL (exit 2)", () => {
    expect(() => parseRemoteUrl("http://host:1", {})).toThrow(/not a Spark Connect URL; got "http:\/\/host:1"/);
    expect(() => parseRemoteUrl("sc://host:99999", {})).toThrow(/port must be 1-65535/);
    expect(() => parseRemoteUrl("sc://host/;tokn=x", {})).toThrow(/unknown parameter "tokn" \(did you mean token\?/);
    expect(() => parseRemoteUrl("sc://host/;use_ssl=yes", {})).toThrow(/use_ssl must be true or false/);
  });

  it("joins a given session with ;session_id=UUID, and refuses a session id that is not a UUID", () => {
    expect(parseRemoteUrl("sc://127.0.0.1:1/;session_id=0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", {}).sessionId).toBe("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0");
    expect(parseRemoteUrl("sc://127.0.0.1:1", {}).sessionId).toBeUndefined();
    expect(() => parseRemoteUrl("sc://127.0.0.1:1/;session_id=run-1", {})).toThrow(/session_id must be a UUID; got/);
  });

  it("redacts tokens anywhere in a URL and knows loopback hosts", () => {
    expect(redactUrl("sc://h/;token=abc;use_ssl=true")).toBe("sc://h/;token=***;use_ssl=true");
    expect(["localhost", "127.0.0.1", "127.4.5.6", "::1"].every(isLoopback)).toBe(true);
    expect(["10.0.0.1", "example.com", "128.0.0.1"].some(isLoopback)).toBe(false);
  });
});
