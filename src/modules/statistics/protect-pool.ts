import { existsSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Protection } from './protect.js';
import { type ProtectJob, type ProtectReply, type ProtectRequest, protectAndVerify } from './protect-job.js';

/**
 * Where the protection worker's script is: beside this module when it runs built (dist/src/…). From
 * src/ (vitest transforms the .ts files, a worker thread would not), the same sources as `tsc` built
 * them into dist/ — the test setup builds before every run — and only if that build is not older than
 * the sources, so that a test never runs a stale protection. Otherwise none: protection runs inline.
 */
export function protectWorkerScript(from = import.meta.url): URL | null {
  const beside = new URL('./protect.worker.js', from);
  if (existsSync(beside)) return beside;
  if (!from.endsWith('.ts')) return null;
  // tsconfig.json: rootDir ".", outDir "dist"; this file is src/modules/statistics/.
  const built = new URL('../../../dist/src/modules/statistics/protect.worker.js', from);
  if (!existsSync(built)) return null;
  const builtAt = statSync(built).mtimeMs;
  const sources = ['./protect.worker.ts', './protect-job.ts', './protect.ts', './lattice.ts'];
  return sources.every((source) => statSync(new URL(source, from)).mtimeMs <= builtAt) ? built : null;
}

interface Pending {
  resolve(protection: Protection): void;
  reject(error: Error): void;
}

/**
 * Protection of the statistics off the main thread: one worker thread, started with the first job,
 * answers jobs one at a time in order — the CPU-heavy part of a release's protection (seconds on large
 * data) no longer stalls requests. A crashed worker fails the jobs it had (their requests fail as any
 * protection failure does) and the next job starts a new one. Without a worker script (see
 * protectWorkerScript) jobs run inline, as they did before.
 */
export class ProtectPool {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopped = false;

  private readonly script: URL | null;
  private readonly onError?: (error: unknown) => void;

  /** `script`: the worker's (by default protectWorkerScript()); null runs jobs inline. */
  constructor(options: { script?: URL | null; onError?: (error: unknown) => void } = {}) {
    this.script = options.script === undefined ? protectWorkerScript() : options.script;
    this.onError = options.onError;
  }

  /** True when jobs run in a worker thread. */
  get threaded(): boolean {
    return this.script !== null;
  }

  run(job: ProtectJob): Promise<Protection> {
    if (this.stopped) return Promise.reject(new Error('statistics: protection has stopped'));
    if (!this.script) return new Promise((resolve) => resolve(protectAndVerify(job)));
    const worker = this.worker ?? this.start(this.script);
    const id = this.nextId++;
    return new Promise<Protection>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Held while it works for someone who waits (a CLI awaiting a warm-up); idle, it never keeps the
      // process alive.
      worker.ref();
      worker.postMessage({ id, job } satisfies ProtectRequest);
    });
  }

  /** Ends the worker; jobs still waiting fail. */
  stop() {
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(new Error('statistics: protection has stopped'));
    void worker?.terminate();
  }

  private start(script: URL): Worker {
    const worker = new Worker(script);
    worker.unref();
    worker.on('message', (reply: ProtectReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply)
        pending.reject(Object.assign(new Error(reply.error.message), { stack: reply.error.stack }));
      else pending.resolve(reply.protection);
    });
    const crashed = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.onError?.(
        new Error(`statistics: the protection worker failed: ${error.message}`, { cause: error }),
      );
      this.failPending(error);
      void worker.terminate();
    };
    worker.on('error', crashed);
    worker.on('messageerror', crashed);
    worker.on('exit', (code) =>
      crashed(new Error(`statistics: the protection worker exited (code ${code})`)),
    );
    this.worker = worker;
    return worker;
  }

  private failPending(error: Error) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const job of pending) job.reject(error);
  }
}
