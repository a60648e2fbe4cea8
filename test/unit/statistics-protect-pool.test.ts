import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Lattice, type LatticeSpec, type LatticeUnit } from '../../src/modules/statistics/lattice.js';
import { protect, verify } from '../../src/modules/statistics/protect.js';
import { type ProtectJob, plainSpec, protectAndVerify } from '../../src/modules/statistics/protect-job.js';
import { ProtectPool, protectWorkerScript } from '../../src/modules/statistics/protect-pool.js';

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

/** A flow lattice (year, quarters, months) over skewed people, deterministic per seed. */
function job(seed: number, people: number, dims: number[]): ProtectJob {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const units: LatticeUnit[] = [{ id: '2026', twoWay: true }];
  for (let q = 1; q <= 4; q++) units.push({ id: `2026-Q${q}`, parent: '2026', twoWay: false });
  for (const m of MONTHS)
    units.push({ id: m, parent: `2026-Q${Math.ceil(Number(m.slice(5)) / 3)}`, twoWay: false });
  const domains = dims.map((size, d) => Array.from({ length: size }, (_, v) => `d${d}v${v}`));
  const spec: LatticeSpec = {
    dimensions: domains.map((_, d) => `D${d}`),
    domains,
    units,
    additiveTime: true,
    months: MONTHS,
    minimumCellSize: (fixed) => (fixed.includes(0) && fixed.includes(1) ? 5 : 3),
  };
  const lattice = new Lattice(spec);
  const counts = new Int32Array(lattice.cells.length);
  for (let p = 0; p < people; p++) {
    const values = dims.map((size) => Math.min(size - 1, Math.floor(size * rnd() ** 2.2)));
    for (const c of lattice.cellsOfProfile(Math.floor(rnd() * 12), values)) counts[c]++;
  }
  return { lattice: plainSpec(spec), counts, forced: [0], roundingBase: 5 };
}

const pools: ProtectPool[] = [];
const pool = (options?: ConstructorParameters<typeof ProtectPool>[0]) => {
  const p = new ProtectPool(options);
  pools.push(p);
  return p;
};
const scratch = mkdtempSync(path.join(os.tmpdir(), 'protect-pool-'));

afterAll(() => {
  for (const p of pools) p.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('protection in a worker thread', () => {
  it('runs in a worker from src/ too: the build of the same sources the test setup just made', () => {
    expect(protectWorkerScript()?.pathname).toMatch(/\/dist\/src\/modules\/statistics\/protect\.worker\.js$/);
    expect(pool().threaded).toBe(true);
  });

  it('gives exactly the protection (hidden cells, certificates) that protect() and verify() give inline', async () => {
    const workers = pool();
    const jobs = [job(1, 60, [5, 4, 3]), job(2, 400, [6, 5, 3, 4]), job(3, 4, [3, 3])];
    const threaded = await Promise.all(jobs.map((j) => workers.run(j)));
    jobs.forEach((j, i) => {
      const inline = protectAndVerify(j);
      expect(threaded[i]).toEqual(inline);
      expect(threaded[i].moves.length).toBeGreaterThan(0);
      // protectAndVerify is protect() and verify() on the lattice the plain spec describes.
      const lattice = new Lattice({ ...j.lattice, minimumCellSize: (f) => j.lattice.k[f.join(',')] });
      const direct = protect(lattice, j.counts, j.forced, { roundingBase: j.roundingBase });
      expect(inline).toEqual(direct);
      expect(verify(lattice, j.counts, threaded[i]).ok).toBe(true);
    });
  });

  it('fails the jobs of a crashed worker, reports it, and starts a new worker for the next job', async () => {
    // A worker that crashes on its first job the first time it starts, and is the real one after.
    const marker = path.join(scratch, 'crashed');
    const script = path.join(scratch, 'crashing-worker.mjs');
    writeFileSync(
      script,
      `import { existsSync, writeFileSync } from 'node:fs';
       import { parentPort } from 'node:worker_threads';
       if (existsSync(${JSON.stringify(marker)})) await import(${JSON.stringify(protectWorkerScript()!.href)});
       else {
         writeFileSync(${JSON.stringify(marker)}, '');
         parentPort.once('message', () => { throw new Error('boom'); });
       }`,
    );
    const errors: unknown[] = [];
    const crashing = pool({ script: pathToFileURL(script), onError: (error) => errors.push(error) });
    const j = job(2, 400, [6, 5, 3, 4]);
    const first = crashing.run(j);
    const second = crashing.run(j);
    await expect(first).rejects.toThrow('boom');
    await expect(second).rejects.toThrow('boom');
    expect(existsSync(marker)).toBe(true);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'statistics: the protection worker failed: boom',
    ]);
    expect(await crashing.run(j)).toEqual(protectAndVerify(j));
  });

  it('fails jobs still waiting when it stops, and takes no more', async () => {
    const stopping = pool();
    const waiting = stopping.run(job(2, 400, [6, 5, 3, 4]));
    stopping.stop();
    await expect(waiting).rejects.toThrow('protection has stopped');
    await expect(stopping.run(job(1, 60, [5, 4, 3]))).rejects.toThrow('protection has stopped');
  });

  it('runs inline without a worker script', async () => {
    const inline = pool({ script: null });
    expect(inline.threaded).toBe(false);
    const j = job(1, 60, [5, 4, 3]);
    expect(await inline.run(j)).toEqual(protectAndVerify(j));
  });
});
