/**
 * A minimal ustar writer for what kplay sends through libpod's archive endpoint: directories
 * (the folders of subPaths inside Podman volumes), and the files and symlinks of projected
 * volumes (ConfigMaps, the downward API). Names that do not fit ustar's 100 + 155 bytes are
 * refused rather than truncated; a link target must fit 100 bytes.
 */

const BLOCK = 512;

export interface TarDirectory {
  /** Relative path, `/`-separated, without a trailing slash. */
  readonly path: string;
  /** Permission bits, e.g. 0o755. */
  readonly mode: number;
}

/** One entry of an archive: a directory, a regular file, or a symbolic link. */
export type TarEntry =
  | { readonly type: "dir"; readonly path: string; readonly mode: number }
  | {
      readonly type: "file";
      readonly path: string;
      readonly mode: number;
      readonly data: Uint8Array;
    }
  | { readonly type: "symlink"; readonly path: string; readonly target: string };

/**
 * A tar archive of `dirs`, in the order given (parents first), owned by 0:0, modified at
 * `mtime` (seconds since the epoch).
 */
export function directoryTar(dirs: readonly TarDirectory[], mtime: number): Uint8Array {
  return tarOf(
    dirs.map((d) => ({ type: "dir", path: d.path, mode: d.mode })),
    mtime,
  );
}

/** A tar archive of `entries` in order, owned by 0:0, modified at `mtime`. */
export function tarOf(entries: readonly TarEntry[], mtime: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const e of entries) {
    const data = e.type === "file" ? e.data : new Uint8Array(0);
    const h = header(e, data.length, mtime);
    parts.push(h);
    size += BLOCK;
    if (data.length > 0) {
      const padded = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
      padded.set(data);
      parts.push(padded);
      size += padded.length;
    }
  }
  const out = new Uint8Array(size + 2 * BLOCK); // ends with two zero blocks
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function header(e: TarEntry, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const name = e.type === "dir" ? `${e.path}/` : e.path;
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
  field(h, 100, 8, e.type === "symlink" ? 0o777 : e.mode & 0o7777);
  field(h, 108, 8, 0); // uid
  field(h, 116, 8, 0); // gid
  field(h, 124, 12, size);
  field(h, 136, 12, Math.max(0, Math.floor(mtime)));
  h[156] = e.type === "dir" ? 0x35 : e.type === "symlink" ? 0x32 : 0x30; // '5', '2', '0'
  if (e.type === "symlink") {
    const target = new TextEncoder().encode(e.target);
    if (target.length > 100) throw new Error(`link target too long for a tar header: ${e.target}`);
    h.set(target, 157);
  }
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
