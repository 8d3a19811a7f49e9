import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { connect as tlsConnect, rootCertificates } from "node:tls";
import { InputError } from "../../../core/errors.js";

/**
 * The CA certificates a `use_ssl=true` connection trusts. As every gRPC client (PySpark's grpcio included), a PEM file
 * named by GRPC_DEFAULT_SSL_ROOTS_FILE_PATH replaces the default roots (Node's bundled Mozilla list); without it the
 * default roots apply. Read here rather than left to grpc-js so that a missing or unreadable file is exit 2 naming it.
 */
export const ROOTS_ENV = "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH";

export function trustedRoots(env: NodeJS.ProcessEnv = process.env): { pem: Buffer | undefined; from: string } {
  const file = env[ROOTS_ENV];
  if (!file) return { pem: undefined, from: "the default CA list (set GRPC_DEFAULT_SSL_ROOTS_FILE_PATH to a PEM file to trust your own CA)" };
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (e) {
    throw new InputError(
      "E_FILE",
      `${ROOTS_ENV}=${file}: cannot read the CA certificates file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); expected a PEM file of the CA that signed the Spark Connect endpoint's certificate`,
    );
  }
  if (!pem.toString("latin1").includes("-----BEGIN CERTIFICATE-----")) {
    throw new InputError(
      "E_FILE",
      `${ROOTS_ENV}=${file}: not a PEM certificates file (no "-----BEGIN CERTIFICATE-----" line); expected the CA that signed the Spark Connect endpoint's certificate`,
    );
  }
  return { pem, from: `the CA certificates in ${ROOTS_ENV}=${file}` };
}

/** OpenSSL's verification failures: the endpoint answers TLS but its certificate is not one we trust. */
const CERT_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|HOSTNAME/;

/**
 * Why a TLS connection to host:port fails, when it is the certificate: grpc-js reports only that the channel failed,
 * so after a failed `use_ssl=true` connection one plain TLS handshake (same roots, same server name, ALPN h2) asks
 * Node for the reason. Undefined when the handshake works or fails for another reason (refused, not TLS).
 */
export function certificateProblem(host: string, port: number, roots: Buffer | undefined, timeoutMs = 5_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      ALPNProtocols: ["h2"],
      ca: roots ?? [...rootCertificates],
      timeout: timeoutMs,
    });
    const done = (why: string | undefined) => {
      socket.destroy();
      resolve(why);
    };
    socket.once("secureConnect", () => done(undefined));
    socket.once("timeout", () => done(undefined));
    socket.once("error", (e: NodeJS.ErrnoException) => done(e.code && CERT_ERRORS.test(e.code) ? `${e.code}: ${e.message}` : undefined));
  });
}
