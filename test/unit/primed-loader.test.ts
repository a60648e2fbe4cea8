import { describe, expect, it } from 'vitest';
import { PrimedLoader } from '../../src/graphql/primed-loader.js';

const loader = () => {
  const asked: string[][] = [];
  const l = new PrimedLoader<string, { key: string; from: string }>(async (keys) => {
    asked.push([...keys]);
    return keys.map((key) => ({ key, from: 'load' }));
  });
  return { l, asked };
};

describe('PrimedLoader', () => {
  it('answers a primed key synchronously, without a batch', async () => {
    const { l, asked } = loader();
    const row = { key: 'a', from: 'prime' };
    l.prime('a', row);
    expect(l.get('a')).toBe(row);
    expect(await l.load('a')).toBe(row);
    expect(asked).toEqual([]);
  });

  it('loads what was not primed, as load does', async () => {
    const { l, asked } = loader();
    const value = l.get('b');
    expect(value).toBeInstanceOf(Promise);
    expect(await value).toEqual({ key: 'b', from: 'load' });
    expect(asked).toEqual([['b']]);
  });

  it('keeps what load gave for a key loaded before it was primed (same answer both ways)', async () => {
    const { l } = loader();
    const loaded = await l.load('c');
    l.prime('c', { key: 'c', from: 'prime' });
    expect(await l.get('c')).toBe(loaded);
    expect(await l.load('c')).toBe(loaded);
  });

  it('never answers a primed error synchronously, and forgets cleared keys', async () => {
    const { l } = loader();
    l.prime('d', new Error('gone'));
    await expect(l.get('d')).rejects.toThrow('gone');
    l.prime('e', { key: 'e', from: 'prime' });
    l.clear('e');
    expect(await l.get('e')).toEqual({ key: 'e', from: 'load' });
  });
});
