/**
 * An integer flag value as Go's flag package reads it (`strconv.ParseInt(s, 0, 64)`), in
 * decimal: an optional sign, then `0x`/`0o`/`0b` prefixes, a leading `0` for octal (`010` is
 * 8), and `_` between digits. Undefined when Go would not read it as an integer, so the usual
 * validation names the flag.
 */
export function goInteger(text: string): string | undefined {
  const match = /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])+|[1-9](?:_?\d)*|0)$/.exec(text);
  if (match === null) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  const plain = digits.replaceAll('_', '');
  const octal = /^0[0-7]+$/.test(plain) ? `0o${plain.slice(1)}` : plain;
  const value = BigInt(octal) * (sign === '-' ? -1n : 1n);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value.toString() : undefined;
}
