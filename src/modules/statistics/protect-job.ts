import { Lattice, type LatticeSpec, type LatticeUnit } from './lattice.js';
import { type Frozen, type Protection, protect, verify } from './protect.js';

/**
 * A lattice's spec as plain data, so that it can cross to a worker thread: k per set of fixed
 * dimensions as a table instead of a function. A Lattice asks k only for the total, one dimension and
 * two dimensions in ascending order, so the table holds exactly those.
 */
export interface PlainLatticeSpec {
  dimensions: readonly string[];
  domains: readonly (readonly string[])[];
  units: readonly LatticeUnit[];
  additiveTime: boolean;
  months?: readonly string[];
  /** k by the fixed dimensions' indices joined with ',' ('' for the total). */
  k: Readonly<Record<string, number>>;
}

/** One tier's protection of a population, as it is sent to the worker (structured-clonable). */
export interface ProtectJob {
  lattice: PlainLatticeSpec;
  counts: Int32Array;
  forced: readonly number[];
  roundingBase: number | null;
  frozen?: Frozen;
}

/** What the main thread posts to the protection worker, and what it answers. */
export interface ProtectRequest {
  id: number;
  job: ProtectJob;
}

export type ProtectReply =
  | { id: number; protection: Protection }
  | { id: number; error: { message: string; stack?: string } };

export function plainSpec(spec: LatticeSpec): PlainLatticeSpec {
  const D = spec.dimensions.length;
  const k: Record<string, number> = { '': spec.minimumCellSize([]) };
  for (let d1 = 0; d1 < D; d1++) {
    k[`${d1}`] = spec.minimumCellSize([d1]);
    for (let d2 = d1 + 1; d2 < D; d2++) k[`${d1},${d2}`] = spec.minimumCellSize([d1, d2]);
  }
  const { dimensions, domains, units, additiveTime, months } = spec;
  return { dimensions, domains, units, additiveTime, months, k };
}

export function latticeOf(plain: PlainLatticeSpec): Lattice {
  const { k, ...spec } = plain;
  return new Lattice({
    ...spec,
    minimumCellSize: (fixed) => {
      const size = k[fixed.join(',')];
      if (size === undefined) throw new Error(`statistics: no k for the dimensions ${fixed.join(',')}`);
      return size;
    },
  });
}

/**
 * Protects one tier's lattice and checks the proof. The check is independent of how the protection
 * was built; a failure publishes nothing of the lattice. Pure computation: it runs in the protection
 * worker thread (protect.worker.ts, see protect-pool.ts), or inline where there is none.
 */
export function protectAndVerify(job: ProtectJob): Protection {
  const lattice = latticeOf(job.lattice);
  const protection = protect(lattice, job.counts, job.forced, {
    roundingBase: job.roundingBase,
    frozen: job.frozen,
  });
  const check = verify(lattice, job.counts, protection);
  if (!check.ok)
    return { ...protection, hidden: new Uint8Array(lattice.cells.length).fill(1), fallback: true };
  return protection;
}
