/**
 * A minimal ustar writer for what kplay sends through libpod's archive endpoint: directory
 * entries only (the folders of subPaths inside Podman volumes). Names are kept short by the
 * caller (`/kplay/<n>/<subPath>`); a name that does not fit ustar's 100 + 155 bytes is
 * refused rather than truncated.
 */

const BLOCK = 512;

export interface TarDirectory {
  /** Relative path, `/`-separated, without a trailing slash. */
  readonly path: string;
  /** Permission bits, e.g. 0o755. */
  readonly mode: number;
}

/**
 * A tar archive of `dirs`, in the order given (parents first), owned by 0:0, modified at
 * `mtime` (seconds since the epoch).
 */
export function directoryTar(dirs: readonly TarDirectory[], mtime: number): Uint8Array {
  const out = new Uint8Array(BLOCK * (dirs.length + 2));
  dirs.forEach((d, i) => {
    out.set(header(`${d.path}/`, d.mode, mtime), i * BLOCK);
  });
  return out; // ends with two zero blocks
}

function header(name: string, mode: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const bytes = new TextEncoder().encode(name);
  let prefix = new Uint8Array(0);
  let rest = bytes;
  if (bytes.length > 100) {
    // Split at a slash so that the prefix holds <= 155 bytes and the name <= 100.
    let cut = -1;
    for (let i = bytes.length - 2; i >= 0; i--) {
      if (bytes[i] === 0x2f && bytes.length - i - 1 <= 100 && i <= 155) {
        cut = i;
        break;
      }
    }
    if (cut < 0) throw new Error(`path too long for a tar header: ${name}`);
    prefix = bytes.subarray(0, cut);
    rest = bytes.subarray(cut + 1);
  }
  h.set(rest, 0);
  field(h, 100, 8, mode & 0o7777);
  field(h, 108, 8, 0); // uid
  field(h, 116, 8, 0); // gid
  field(h, 124, 12, 0); // size
  field(h, 136, 12, Math.max(0, Math.floor(mtime)));
  h[156] = 0x35; // '5': directory
  h.set(new TextEncoder().encode("ustar\u000000"), 257);
  h.set(prefix, 345);
  // The checksum is computed with its own field as eight spaces.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  const text = `${sum.toString(8).padStart(6, "0")}\u0000 `;
  h.set(new TextEncoder().encode(text), 148);
  return h;
}

/** An octal number, zero-padded, NUL-terminated, in `width` bytes at `offset`. */
function field(h: Uint8Array, offset: number, width: number, value: number): void {
  const text = `${value.toString(8).padStart(width - 1, "0")}\u0000`;
  h.set(new TextEncoder().encode(text), offset);
}
