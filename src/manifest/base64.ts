/**
 * Base64 as Go's encoding/json decodes a `[]byte` field (Secret `data`, ConfigMap
 * `binaryData`): the standard alphabet with padding; carriage returns and line feeds are
 * skipped (wrapped output of `base64` decodes); anything else is an error. Node's decoder
 * is more lenient (it skips bad characters, takes the URL alphabet), so it is checked first.
 */

/** The decoded bytes, or undefined when `text` is not valid standard base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/[\r\n]/g, "");
  if (s.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  const binary = atob(s);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Go rejects non-canonical padding bits (`YR==` for "a"); re-encoding tells.
  return encodeBase64(bytes) === s ? bytes : undefined;
}

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000)
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(out);
}
