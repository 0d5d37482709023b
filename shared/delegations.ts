/** Delegation colours: people, carets, comments and suggestions are coloured by delegation. */

const KNOWN: Array<[RegExp, string]> = [
  [/per[uú]|mtpe/i, '#c8102e'],
  [/panam[aá]|mitradel/i, '#1f5fbf'],
  [/\boea\b|\boas\b/i, '#2e7d32'],
];

const PALETTE = ['#8e24aa', '#ef6c00', '#00838f', '#6d4c41', '#ad1457', '#3949ab', '#558b2f', '#5d4037'];

/** The colour of a delegation: fixed for the sample cooperation, stable hash for any other. */
export function delegationColor(delegation: string): string {
  for (const [pattern, color] of KNOWN) if (pattern.test(delegation)) return color;
  let hash = 0;
  for (const ch of delegation) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
