import { InvalidArgumentError } from "../errors.js";
import { describeValue } from "../memory.js";
import { nativeCrc32 } from "./host.js";

// The CRC-32 of zlib, PNG and gzip (reflected polynomial 0xEDB88320). Node's
// zlib.crc32 (native, several GB/s) is used when present; the table-driven
// version below is the fallback for browsers, where only bytes are decoded.
let table: Int32Array | undefined;

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/** CRC-32 of `data` (zlib's, the same value as `zlib.crc32`), as an unsigned 32-bit number. */
export function crc32(data: Uint8Array): number {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError(`crc32: data must be a Uint8Array, got ${describeValue(data)}`, "data");
  const native = nativeCrc32();
  if (native !== undefined) return native(data) >>> 0;
  const t = (table ??= makeTable());
  let c = -1;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
