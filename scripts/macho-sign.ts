/**
 * An ad-hoc code signature for the macOS executables `bun build --compile` cross-compiles
 * here, where Apple's `codesign` does not exist.
 *
 * Why: with bun 1.4.5, the darwin-arm64 output carries a valid ad-hoc signature, but the
 * darwin-x64 output keeps the Bun runtime's own Developer ID signature, whose page hashes no
 * longer match the header and __BUN section bun rewrote (75 of 24,741 pages here, page 0
 * among them) and whose code limit stops short of the end of the code: a Mac that checks
 * signatures kills such a file before it runs. Signing it the way bun signs darwin-arm64
 * (one CodeDirectory, SHA-256 over 4 KiB pages up to the signature, no entitlements, no
 * hardened runtime, identifier "a.out") fixes that; the release test checks that this code
 * reproduces bun's own darwin-arm64 signature byte for byte.
 *
 * Usage: `bun scripts/macho-sign.ts FILE...` re-signs each file in place.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;
const HASH_SIZE = 32;
const HASH_SHA256 = 2;
const IDENTIFIER = "a.out";
/** CodeDirectory version 0x20400 (with the exec-segment fields): what bun writes. */
const CD_HEADER = 88;
const SUPERBLOB_HEADER = 12 + 8;

interface Layout {
  /** Offsets of the load commands' fields this code reads or rewrites. */
  readonly codeSignatureCmd: number;
  readonly linkeditCmd: number;
  readonly dataoff: number;
  readonly datasize: number;
  readonly textOff: bigint;
  readonly textSize: bigint;
}

/** Finds the load commands an ad-hoc signature depends on; throws if the file is not one. */
function readLayout(file: Buffer): Layout {
  if (file.readUInt32LE(0) !== MH_MAGIC_64) throw new Error("not a 64-bit Mach-O file");
  const ncmds = file.readUInt32LE(16);
  let at = 32;
  let codeSignatureCmd = -1;
  let linkeditCmd = -1;
  let textOff = -1n;
  let textSize = -1n;
  for (let i = 0; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    if (cmd === LC_CODE_SIGNATURE) codeSignatureCmd = at;
    if (cmd === LC_SEGMENT_64) {
      const name = file.toString("latin1", at + 8, at + 24).replace(/\0+$/, "");
      if (name === "__LINKEDIT") linkeditCmd = at;
      if (name === "__TEXT") {
        textOff = file.readBigUInt64LE(at + 40);
        textSize = file.readBigUInt64LE(at + 48);
      }
    }
    at += file.readUInt32LE(at + 4);
  }
  if (codeSignatureCmd < 0 || linkeditCmd < 0 || textSize < 0n) {
    throw new Error("no LC_CODE_SIGNATURE, __LINKEDIT or __TEXT: not a bun executable");
  }
  return {
    codeSignatureCmd,
    linkeditCmd,
    dataoff: file.readUInt32LE(codeSignatureCmd + 8),
    datasize: file.readUInt32LE(codeSignatureCmd + 12),
    textOff,
    textSize,
  };
}

/** SHA-256 of each 4 KiB page below `limit`, the last one cut at `limit` (as the kernel reads it). */
function pageHashes(file: Buffer, limit: number): Buffer[] {
  const out: Buffer[] = [];
  for (let start = 0; start < limit; start += PAGE) {
    out.push(
      createHash("sha256")
        .update(file.subarray(start, Math.min(start + PAGE, limit)))
        .digest(),
    );
  }
  return out;
}

/**
 * Returns the file with an ad-hoc signature over everything before the signature, replacing
 * whatever signature it had. The signature stays where the file's LC_CODE_SIGNATURE puts it
 * (the end of __LINKEDIT, the end of the file), grown or shrunk to fit.
 */
export function adhocSign(input: Uint8Array): Buffer {
  const layout = readLayout(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  const codeLimit = layout.dataoff;
  const slots = Math.ceil(codeLimit / PAGE);
  const ident = Buffer.from(`${IDENTIFIER}\0`, "latin1");
  const cdLength = CD_HEADER + ident.length + slots * HASH_SIZE;
  const sigLength = SUPERBLOB_HEADER + cdLength;

  const file = Buffer.alloc(codeLimit + sigLength);
  file.set(input.subarray(0, codeLimit));
  // The load commands are inside page 0, so they are fixed up before anything is hashed.
  file.writeUInt32LE(sigLength, layout.codeSignatureCmd + 12);
  const linkeditOff = file.readBigUInt64LE(layout.linkeditCmd + 40);
  const linkeditFileSize = BigInt(file.length) - linkeditOff;
  file.writeBigUInt64LE(linkeditFileSize, layout.linkeditCmd + 48);
  if (file.readBigUInt64LE(layout.linkeditCmd + 32) < linkeditFileSize) {
    const vmsize = (linkeditFileSize + BigInt(PAGE - 1)) & ~BigInt(PAGE - 1);
    file.writeBigUInt64LE(vmsize, layout.linkeditCmd + 32);
  }

  const sig = file.subarray(codeLimit);
  sig.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sig.writeUInt32BE(sigLength, 4);
  sig.writeUInt32BE(1, 8); // one blob: the CodeDirectory, slot 0
  sig.writeUInt32BE(0, 12);
  sig.writeUInt32BE(SUPERBLOB_HEADER, 16);
  const cd = sig.subarray(SUPERBLOB_HEADER);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(0x20400, 8);
  cd.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, 12);
  cd.writeUInt32BE(CD_HEADER + ident.length, 16); // hashOffset
  cd.writeUInt32BE(CD_HEADER, 20); // identOffset
  cd.writeUInt32BE(0, 24); // no special slots: no Info.plist, requirements or entitlements
  cd.writeUInt32BE(slots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(HASH_SIZE, 36);
  cd.writeUInt8(HASH_SHA256, 37);
  cd.writeUInt8(0, 38);
  cd.writeUInt8(PAGE_BITS, 39);
  // spare2, scatterOffset, teamOffset, spare3 and codeLimit64 stay 0.
  cd.writeBigUInt64BE(layout.textOff, 64);
  cd.writeBigUInt64BE(layout.textSize, 72);
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  cd.set(ident, CD_HEADER);
  pageHashes(file, codeLimit).forEach((h, i) => {
    cd.set(h, CD_HEADER + ident.length + i * HASH_SIZE);
  });
  return file;
}

/** What a signature check found: the pages whose hash does not match, and what it covers. */
export interface SignatureCheck {
  readonly identifier: string;
  readonly flags: number;
  /** Bytes covered; an honest signature covers everything before itself. */
  readonly codeLimit: number;
  readonly dataoff: number;
  readonly pages: number;
  readonly badPages: number;
}

/** Recomputes the page hashes of a Mach-O file's CodeDirectory, as the kernel would. */
export function checkSignature(input: Uint8Array): SignatureCheck {
  const file = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const { dataoff } = readLayout(file);
  const sig = file.subarray(dataoff);
  if (sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) throw new Error("no embedded signature");
  const count = sig.readUInt32BE(8);
  for (let i = 0; i < count; i++) {
    const cd = sig.subarray(sig.readUInt32BE(16 + 8 * i));
    if (sig.readUInt32BE(12 + 8 * i) !== 0 || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY)
      continue;
    const hashOffset = cd.readUInt32BE(16);
    const identOffset = cd.readUInt32BE(20);
    const slots = cd.readUInt32BE(28);
    const codeLimit = cd.readUInt32BE(32);
    if (cd.readUInt8(37) !== HASH_SHA256 || cd.readUInt8(39) !== PAGE_BITS) {
      throw new Error("CodeDirectory is not SHA-256 over 4 KiB pages");
    }
    const hashes = pageHashes(file, codeLimit);
    const slot = (k: number) =>
      cd.subarray(hashOffset + k * HASH_SIZE, hashOffset + (k + 1) * HASH_SIZE);
    // A slot count that disagrees with the code limit is as wrong as a wrong hash.
    let badPages = Math.abs(slots - hashes.length);
    hashes.forEach((h, k) => {
      if (k < slots && !h.equals(slot(k))) badPages++;
    });
    return {
      identifier: cd.toString("latin1", identOffset, cd.indexOf(0, identOffset)),
      flags: cd.readUInt32BE(12),
      codeLimit,
      dataoff,
      pages: slots,
      badPages,
    };
  }
  throw new Error("no CodeDirectory in the signature");
}

if (import.meta.main) {
  for (const path of process.argv.slice(2)) {
    const signed = adhocSign(readFileSync(path));
    const check = checkSignature(signed);
    if (check.badPages !== 0 || check.codeLimit !== check.dataoff) {
      throw new Error(`${path}: the new signature does not verify`);
    }
    writeFileSync(`${path}.signing`, signed, { mode: 0o755 });
    renameSync(`${path}.signing`, path);
  }
}
