import DataLoader from 'dataloader';

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * A DataLoader that also answers primed keys synchronously (`get`). The offers page primes what it read
 * with the page (organisations, locations, current periods, rules); a field resolver that returns the row
 * itself instead of a promise of it spares graphql-js a promise per field and list item.
 * Same answers as `load`: a key loaded before it was primed keeps what `load` gave.
 */
export class PrimedLoader<K, V> extends DataLoader<K, V> {
  private readonly primed = new Map<K, V>();
  private readonly loaded = new Set<K>();

  override load(key: K): Promise<V> {
    if (!this.primed.has(key)) this.loaded.add(key);
    return super.load(key);
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!(value instanceof Error) && !isPromiseLike(value) && !this.loaded.has(key) && !this.primed.has(key))
      this.primed.set(key, value);
    return super.prime(key, value);
  }

  /** The primed value at once, else `load(key)`. */
  get(key: K): V | Promise<V> {
    return this.primed.has(key) ? (this.primed.get(key) as V) : this.load(key);
  }

  override clear(key: K): this {
    this.primed.delete(key);
    this.loaded.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.primed.clear();
    this.loaded.clear();
    return super.clearAll();
  }
}
