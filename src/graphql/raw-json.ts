import { randomBytes } from 'node:crypto';

/**
 * A part of a response whose JSON text PostgreSQL already wrote (read plans, README "Read plans"): it is
 * put into the response as it is instead of being parsed into objects and written again.
 *
 * JSON.stringify has no way to emit text as it is, so while stringifyResult writes a response, each part
 * stands in as a marker string that is then replaced by its text. The marker starts with NUL and carries a
 * random nonce: no value of the response can spell it (PostgreSQL text holds no NUL, and nobody outside the
 * process knows the nonce). Anywhere else (a test reading the result object, a log) a part is its value.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    if (!collecting) return JSON.parse(this.text);
    collecting.push(this.text);
    return `${MARKER}${collecting.length - 1}`;
  }
}

const NONCE = randomBytes(12).toString('hex');
const MARKER = `\u0000${NONCE}:`;
/** The marker as JSON.stringify writes it, with the part's index. */
const WRITTEN_MARKER = new RegExp(`"\\\\u0000${NONCE}:(\\d+)"`, 'g');

let collecting: string[] | undefined;

/** A response as Apollo Server writes it (JSON and a line break), with each RawJson part as its text. */
export function stringifyResult(value: unknown): string {
  const parts: string[] = [];
  collecting = parts;
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    collecting = undefined;
  }
  if (parts.length > 0) json = json.replace(WRITTEN_MARKER, (_m, i: string) => parts[Number(i)]!);
  return `${json}\n`;
}
