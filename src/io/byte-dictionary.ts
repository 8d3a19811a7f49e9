/**
 * Distinct byte strings in first-seen order, found by hashing the bytes: a string column of a CSV becomes
 * dictionary codes without creating a JS string per field. The arena and offsets ARE the Arrow Utf8 dictionary
 * (for UTF-8 input), so no copy is needed at the end.
 */
export class ByteDictionary {
  /** Concatenated bytes of the distinct values. */
  arena = new Uint8Array(1 << 16);
  arenaLength = 0;
  /** offsets[code]..offsets[code+1] is the value of `code` in `arena`. */
  offsets = new Int32Array(1 << 10);
  size = 0;
  private hashes = new Int32Array(1 << 10);
  /** Open addressing: slot holds code+1, 0 = empty. */
  private slots = new Int32Array(1 << 11);
  private mask = (1 << 11) - 1;

  /** Code of the bytes b[s..e), adding them when new. */
  codeOf(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    h ^= h >>> 15;
    const len = e - s;
    const mask = this.mask;
    const slots = this.slots;
    let slot = h & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) break;
      const code = entry - 1;
      if (this.hashes[code] === h) {
        const off = this.offsets[code];
        if (this.offsets[code + 1] - off === len) {
          const arena = this.arena;
          let i = 0;
          while (i < len && arena[off + i] === b[s + i]) i++;
          if (i === len) return code;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.add(b, s, e, h, slot);
  }

  private add(b: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const code = this.size;
    const len = e - s;
    if (this.arenaLength + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + len));
      next.set(this.arena.subarray(0, this.arenaLength));
      this.arena = next;
    }
    this.arena.set(b.subarray(s, e), this.arenaLength);
    if (code + 2 > this.offsets.length) {
      const offs = new Int32Array(this.offsets.length * 2);
      offs.set(this.offsets);
      this.offsets = offs;
      const hs = new Int32Array(this.hashes.length * 2);
      hs.set(this.hashes);
      this.hashes = hs;
    }
    this.offsets[code] = this.arenaLength;
    this.arenaLength += len;
    this.offsets[code + 1] = this.arenaLength;
    this.hashes[code] = h;
    this.size = code + 1;
    this.slots[slot] = code + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let code = 0; code < this.size; code++) {
      let slot = this.hashes[code] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Arrow Utf8 buffers (offsets, data); latin-1 bytes are transcoded to UTF-8 here, once per distinct value. */
  utf8Buffers(encoding: "utf-8" | "latin1"): { valueOffsets: Int32Array; data: Uint8Array } {
    const valueOffsets = this.offsets.slice(0, this.size + 1);
    if (this.size === 0) valueOffsets[0] = 0;
    const raw = this.arena.subarray(0, this.arenaLength);
    if (encoding === "utf-8") return { valueOffsets, data: raw.slice() };
    let high = 0;
    for (let i = 0; i < raw.length; i++) if (raw[i] >= 0x80) high++;
    if (high === 0) return { valueOffsets, data: raw.slice() };
    const data = new Uint8Array(raw.length + high);
    const out = new Int32Array(this.size + 1);
    let w = 0;
    for (let code = 0; code < this.size; code++) {
      out[code] = w;
      for (let i = valueOffsets[code]; i < valueOffsets[code + 1]; i++) {
        const c = raw[i];
        if (c < 0x80) data[w++] = c;
        else {
          data[w++] = 0xc0 | (c >> 6);
          data[w++] = 0x80 | (c & 0x3f);
        }
      }
    }
    out[this.size] = w;
    return { valueOffsets: out, data };
  }
}
