import { crc32 } from "node:zlib";
import { open, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../core/errors.js";

/**
 * Hadoop's ChecksumFileSystem side files, as Spark writes (and verifies) them beside every file of a saved model:
 * `.<name>.crc` next to `<name>`, holding the magic bytes "crc\0", the chunk size as a big-endian int32 (512), then
 * one big-endian CRC-32 (zlib's polynomial) per 512-byte chunk of the file (the last chunk may be shorter; an empty
 * file has no chunks). Spark refuses to read a file whose .crc does not match, so recpipe writes them exactly.
 */
const MAGIC = [0x63, 0x72, 0x63, 0x00];
const BYTES_PER_CHECKSUM = 512;
const HEADER_BYTES = 8;
/** Reading a large part file in slices this big (a multiple of the chunk size) keeps memory flat. */
const READ_SLICE = BYTES_PER_CHECKSUM * 2048;

export function crcFileName(name: string): string {
  return `.${name}.crc`;
}

export function isCrcFileName(name: string): boolean {
  return name.startsWith(".") && name.endsWith(".crc");
}

/** The bytes of the `.crc` file for `data`. */
export function hadoopCrc(data: Uint8Array): Uint8Array {
  const chunks = Math.ceil(data.length / BYTES_PER_CHECKSUM);
  const out = Buffer.alloc(HEADER_BYTES + 4 * chunks);
  out.set(MAGIC, 0);
  out.writeInt32BE(BYTES_PER_CHECKSUM, 4);
  for (let c = 0; c < chunks; c++) out.writeUInt32BE(crc32(data.subarray(c * BYTES_PER_CHECKSUM, (c + 1) * BYTES_PER_CHECKSUM)), HEADER_BYTES + 4 * c);
  return out;
}

/** Writes `data` to `file` and its `.crc` beside it. */
export async function writeFileWithCrc(file: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  await writeFile(file, bytes);
  await writeFile(path.join(path.dirname(file), crcFileName(path.basename(file))), hadoopCrc(bytes));
}

/**
 * Checks `file` against its `.crc` (given as read from disk); `shown` is how messages name the file. Throws an
 * InputError naming the file and the first damaged byte range, as a damaged model must not be read as data.
 */
export async function verifyCrc(file: string, crcBytes: Uint8Array, shown: string): Promise<void> {
  const crc = Buffer.from(crcBytes.buffer, crcBytes.byteOffset, crcBytes.byteLength);
  const crcShown = path.join(path.dirname(shown), crcFileName(path.basename(shown)));
  if (crc.length < HEADER_BYTES || MAGIC.some((b, i) => crc[i] !== b) || (crc.length - HEADER_BYTES) % 4 !== 0) {
    throw new InputError(
      "E_MODEL",
      `${crcShown}: not a Hadoop checksum file (expected "crc\\0", a chunk size and 4 bytes per chunk; found ${crc.length} bytes starting ${JSON.stringify(crc.subarray(0, 4).toString("latin1"))}); the model directory is damaged`,
    );
  }
  const chunkSize = crc.readInt32BE(4);
  if (chunkSize <= 0) throw new InputError("E_MODEL", `${crcShown}: chunk size must be positive; found ${chunkSize}; the model directory is damaged`);
  const expectedChunks = (crc.length - HEADER_BYTES) / 4;
  const handle = await open(file, "r");
  try {
    const size = (await handle.stat()).size;
    const chunks = Math.ceil(size / chunkSize);
    if (chunks !== expectedChunks) {
      throw new InputError(
        "E_MODEL",
        `${shown}: ${size} bytes, but its checksum file ${path.basename(crcShown)} covers ${expectedChunks} chunk(s) of ${chunkSize} bytes; the file was truncated or extended after it was saved (the model directory is damaged)`,
      );
    }
    const slice = Math.max(chunkSize, Math.floor(READ_SLICE / chunkSize) * chunkSize);
    const buf = Buffer.alloc(Math.min(slice, Math.max(size, 1)));
    for (let offset = 0, c = 0; offset < size;) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, size - offset), offset);
      if (bytesRead === 0) break;
      for (let s = 0; s < bytesRead; s += chunkSize, c++) {
        if (crc32(buf.subarray(s, Math.min(s + chunkSize, bytesRead))) !== crc.readUInt32BE(HEADER_BYTES + 4 * c)) {
          const from = offset + s;
          throw new InputError(
            "E_MODEL",
            `${shown}: checksum mismatch in bytes ${from}-${Math.min(from + chunkSize, size) - 1} (checked against ${path.basename(crcShown)}); the file was changed or damaged after it was saved`,
          );
        }
      }
      offset += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** Verifies `file` if a `.crc` lies beside it; returns whether one did (a hand-made or old directory may have none). */
export async function verifyCrcIfPresent(file: string, shown: string): Promise<boolean> {
  let crc: Uint8Array;
  try {
    crc = await readFile(path.join(path.dirname(file), crcFileName(path.basename(file))));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new InputError("E_MODEL", `${shown}: its checksum file cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  await verifyCrc(file, crc, shown);
  return true;
}
