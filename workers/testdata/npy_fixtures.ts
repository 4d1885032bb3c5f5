/** Hand-made `.npy` files for the tests, malformed ones included. */

/** A hand-made file: magic, version, header length field, the header text, then `data`. */
export function handMade(
  header: string,
  options: { version?: number; data?: Uint8Array; pad?: boolean } = {},
): Uint8Array {
  const { version = 1, data = new Uint8Array(), pad = true } = options;
  const prefix = version === 1 ? 10 : 12;
  let text = header;
  if (pad) text += " ".repeat((64 - ((prefix + text.length + 1) % 64)) % 64) + "\n";
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(prefix + body.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, body.length, true);
  else view.setUint32(8, body.length, true);
  out.set(body, prefix);
  out.set(data, prefix + body.length);
  return out;
}
