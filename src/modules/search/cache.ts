import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * What the offer search may reuse between requests: exact counts and, for RELEVANCE, the whole ranked list
 * of matches. On 100,000 offers both cost a pass over every match (17–43k rows, 30–150 ms), while the
 * dashboards ask the same filters again and again.
 *
 * Exactness does not rest on events arriving in time: every search reads, in the same statement (one
 * snapshot) as its rows, the search *generation* — `sum(weight)` of offer_search_change, to which statement
 * triggers on offer, location, organisation and eligibility_rule add a row in every transaction that
 * writes them (Migration20261125193327). The sum only grows with each such commit, so an entry computed
 * at the generation the current statement sees was computed on the same committed data, and is what the
 * statement would compute itself. This holds across hub instances, for every writer (import, psql, seeds)
 * and for the writer's own next request; no LISTEN, no expiry needed. The key is the search's SQL text and
 * parameters (filters, today's date for the rule in force, anything viewer-dependent in the WHERE clause);
 * searches that read capacity periods (hasFreePlaces, startsAfter/startsBefore) are not cached, since
 * reservations change those all the time. The search statements run on the pool, never inside a caller's
 * transaction, so a generation never counts the rows of an uncommitted (possibly rolled back) write.
 */

/** Evaluated inside a search statement: the generation it sees and how many rows carry it. */
export const GENERATION_SQL = `select coalesce(sum(weight), 0)::text as gen, count(*)::int as changes from offer_search_change`;

/** Past this many rows the counter is folded into one row with the same sum (one statement, atomic). */
const FOLD_AFTER_ROWS = 500;
const FOLD_SQL = `with gone as (delete from offer_search_change returning weight)
  insert into offer_search_change (txid, weight) select txid_current(), sum(weight) from gone having count(*) > 0`;

const MAX_COUNTS = 2_000;
/** Bytes of ranked lists kept (20 bytes a match: id + rank); a list larger than a quarter is not kept. */
const MAX_RANKED_BYTES = 16 * 1024 * 1024;

export interface Generation {
  gen: string;
  changes: number;
}

interface Count {
  gen: string;
  n: number;
}

/** id (16 bytes, uuid_send) + rank (4 bytes, float4send) per match, best first (rank desc, id desc). */
const ENTRY = 20;

/**
 * Every match of a RELEVANCE search, in the order of `order by rank desc, id desc` (PostgreSQL's order:
 * uuids compare bytewise, ranks are float4). Pages are cut from it as the SQL keyset would cut them.
 */
export class RankedList {
  readonly length: number;

  constructor(
    readonly gen: string,
    private readonly bytes: Buffer,
  ) {
    this.length = bytes.length / ENTRY;
  }

  get size(): number {
    return this.bytes.length;
  }

  private rank(i: number): number {
    return this.bytes.readFloatBE(i * ENTRY + 16);
  }

  private id(i: number): Buffer {
    return this.bytes.subarray(i * ENTRY, i * ENTRY + 16);
  }

  /** Compares entry i with (rank, id) in the list's order: < 0 when i comes before it. */
  private compare(i: number, rank: number, id: Buffer): number {
    const r = this.rank(i);
    if (r !== rank) return r > rank ? -1 : 1;
    return -Buffer.compare(this.id(i), id);
  }

  /**
   * Up to `take` rows after the cursor, walking best-first (`descending`) or worst-first. The cursor's rank
   * is rounded to float4 as PostgreSQL compares it with the float4 rank.
   */
  page(
    take: number,
    descending: boolean,
    cursor?: { key: number; id: string },
  ): { id: string; sort_key: number }[] {
    const rows: { id: string; sort_key: number }[] = [];
    if (descending) {
      // First entry after the cursor in list order.
      let start = 0;
      if (cursor) start = this.firstAfter(Math.fround(cursor.key), uuidBytes(cursor.id));
      for (let i = start; i < this.length && rows.length < take; i++) rows.push(this.row(i));
    } else {
      // Entries before the cursor in list order, read backwards.
      let end = this.length;
      if (cursor) end = this.firstNotBefore(Math.fround(cursor.key), uuidBytes(cursor.id));
      for (let i = end - 1; i >= 0 && rows.length < take; i--) rows.push(this.row(i));
    }
    return rows;
  }

  private firstAfter(rank: number, id: Buffer): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(mid, rank, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstNotBefore(rank: number, id: Buffer): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(mid, rank, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private row(i: number): { id: string; sort_key: number } {
    return { id: uuidText(this.id(i)), sort_key: float4AsPrinted(this.rank(i)) };
  }
}

export class OfferSearchCache {
  private readonly counts = new Map<string, Count>();
  private readonly ranked = new Map<string, RankedList>();
  private rankedBytes = 0;
  private folding = false;

  constructor(private readonly em: EntityManager) {}

  count(key: string, gen: string): number | undefined {
    const hit = this.counts.get(key);
    if (!hit || hit.gen !== gen) return undefined;
    // Map order is insertion order: re-inserting makes it the most recently used.
    this.counts.delete(key);
    this.counts.set(key, hit);
    return hit.n;
  }

  setCount(key: string, gen: string, n: number): void {
    this.counts.delete(key);
    this.counts.set(key, { gen, n });
    if (this.counts.size > MAX_COUNTS) this.counts.delete(this.counts.keys().next().value!);
  }

  /** Any list for the key (its generation is checked by the caller, who must read the current one). */
  rankedList(key: string): RankedList | undefined {
    const hit = this.ranked.get(key);
    if (hit) {
      this.ranked.delete(key);
      this.ranked.set(key, hit);
    }
    return hit;
  }

  setRankedList(key: string, list: RankedList): void {
    const old = this.ranked.get(key);
    if (old) {
      this.ranked.delete(key);
      this.rankedBytes -= old.size;
    }
    if (list.size > MAX_RANKED_BYTES / 4) return;
    this.ranked.set(key, list);
    this.rankedBytes += list.size;
    for (const [k, l] of this.ranked) {
      if (this.rankedBytes <= MAX_RANKED_BYTES) break;
      this.ranked.delete(k);
      this.rankedBytes -= l.size;
    }
  }

  /** Called with every generation read: folds the counter rows once they pile up (in the background). */
  observe(generation: Generation): void {
    if (generation.changes <= FOLD_AFTER_ROWS || this.folding) return;
    this.folding = true;
    this.em
      .fork()
      .getConnection()
      .execute(FOLD_SQL)
      // A failed fold only leaves the rows for the next one; the generation stays exact either way.
      .catch(() => undefined)
      .finally(() => {
        this.folding = false;
      });
  }
}

/** One cache per database connection (the ORM's; forks share it), so hubs in one process never mix. */
const caches = new WeakMap<object, OfferSearchCache>();

export function offerSearchCache(em: EntityManager): OfferSearchCache {
  const connection = em.getConnection();
  let cache = caches.get(connection);
  if (!cache) {
    cache = new OfferSearchCache(em.fork());
    caches.set(connection, cache);
  }
  return cache;
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidText(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The number PostgreSQL's text output of this float4 parses to (its shortest round-tripping decimal), so a
 * cursor made from the cached list equals the one the SQL page would have made.
 */
export function float4AsPrinted(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return Number(value.toPrecision(9));
}
