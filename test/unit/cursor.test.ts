import { Cursor } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/graphql/cursor.js';

const ID = '0b7c4c1e-8f3a-4d7e-9a51-2f6c3b1d9e07';
const any = () => true;

describe('the cursor codec', () => {
  it('writes what MikroORM writes for paginate, byte for byte', () => {
    for (const values of [
      ['Caritasverband Leverkusen e.V.', ID],
      ['2026-10-01', ID],
      [0.0607927, 3, true, 'Ü ß — 🙂'],
      [],
    ]) {
      expect(encodeCursor(values)).toBe(Cursor.encode(values));
      expect(decodeCursor(Cursor.encode(values), any)).toEqual(values);
    }
  });

  it('answers undefined for anything but a JSON array that passes the check', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(decodeCursor('%%%', any)).toBeUndefined();
    expect(decodeCursor(enc({ a: 1 }), any)).toBeUndefined();
    expect(decodeCursor(enc('abc'), any)).toBeUndefined();
    expect(decodeCursor(enc(null), any)).toBeUndefined();
    expect(decodeCursor(enc([1, 2]), (v) => v.length === 3)).toBeUndefined();
    expect(decodeCursor(enc([1, 2, 3]), (v) => v.length === 3)).toEqual([1, 2, 3]);
  });
});
