/**
 * Arrow validity bitmap built lazily: most columns have no nulls, so no bitmap is allocated until the first null.
 */
export class ValidityBitmap {
  bits: Uint8Array | null = null;
  nullCount = 0;

  setNull(row: number, capacity: number): void {
    if (this.bits === null) {
      this.bits = new Uint8Array((capacity >> 3) + 1).fill(0xff);
    } else if (row >> 3 >= this.bits.length) {
      this.grow(capacity);
    }
    this.bits[row >> 3] &= ~(1 << (row & 7));
    this.nullCount++;
  }

  /** Keeps room for `capacity` rows (new rows are valid until marked null). */
  grow(capacity: number): void {
    if (this.bits === null) return;
    const need = (capacity >> 3) + 1;
    if (need <= this.bits.length) return;
    const next = new Uint8Array(need).fill(0xff);
    next.set(this.bits);
    this.bits = next;
  }

  /** The bitmap for `length` rows, or undefined when every row is valid. */
  finish(length: number): Uint8Array | undefined {
    if (this.bits === null || this.nullCount === 0) return undefined;
    return this.bits.subarray(0, (length + 7) >> 3);
  }
}
