/** The tokens of go-yaml's scanner (libyaml's), as small numbers. */

/** Token kinds. */
export const TK = {
  StreamStart: 0,
  StreamEnd: 1,
  VersionDirective: 2,
  TagDirective: 3,
  DocumentStart: 4,
  DocumentEnd: 5,
  BlockSequenceStart: 6,
  BlockMappingStart: 7,
  BlockEnd: 8,
  FlowSequenceStart: 9,
  FlowSequenceEnd: 10,
  FlowMappingStart: 11,
  FlowMappingEnd: 12,
  BlockEntry: 13,
  FlowEntry: 14,
  Key: 15,
  Value: 16,
  Alias: 17,
  Anchor: 18,
  Tag: 19,
  Scalar: 20,
} as const;

/** A token kind. */
export type TokenKind = (typeof TK)[keyof typeof TK];

/** Scalar styles. */
export const STYLE = { plain: 1, single: 2, double: 3, literal: 4, folded: 5 } as const;

/**
 * One token, with chunk-local offsets. `value` is a scalar's text, an anchor's or alias's
 * name, a tag's handle, a %TAG handle or a %YAML version ("1.1"); `extra` is a tag's suffix
 * or a %TAG prefix.
 */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly value: string;
  readonly extra: string;
  readonly style: number;
}

/** Makes a token. */
export function token(
  kind: TokenKind,
  start: number,
  end: number,
  value = "",
  style = 0,
  extra = "",
): Token {
  return { kind, start, end, value, extra, style };
}
