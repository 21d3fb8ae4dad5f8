/**
 * Linux signal numbers: libpod's `stop_signal` is the number (a Go syscall.Signal), while
 * Kubernetes' `lifecycle.stopSignal` is the name.
 */

import { own } from "../manifest/own.ts";

/** The standard signals, numbered as on every Linux architecture Podman supports. */
const NUMBERS: Readonly<Record<string, number>> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31,
};
/** glibc keeps 32 and 33 for itself, so SIGRTMIN is 34 for programs (and for Podman). */
const RTMIN = 34;
const RTMAX = 64;

/** The number of a signal name (`SIGTERM`, `TERM`, `SIGRTMIN+3`), or undefined if unknown. */
export function signalNumber(name: string): number | undefined {
  const bare = name.toUpperCase().replace(/^SIG/, "");
  const known = own(NUMBERS, bare);
  if (known !== undefined) return known;
  const rt = /^RT(MIN|MAX)(?:([+-])([0-9]{1,2}))?$/.exec(bare);
  if (!rt) return undefined;
  const base = rt[1] === "MIN" ? RTMIN : RTMAX;
  const offset = rt[2] === undefined ? 0 : (rt[2] === "+" ? 1 : -1) * Number(rt[3]);
  const n = base + offset;
  return n >= RTMIN && n <= RTMAX ? n : undefined;
}
