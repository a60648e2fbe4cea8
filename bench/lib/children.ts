import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';

/** A free TCP port on 127.0.0.1 (a child process cannot report PORT=0's choice back). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Node child process whose stderr tail is kept for error messages. */
export class Child {
  readonly process: ChildProcess;
  private tail = '';
  private exited?: number | null;
  private readonly exit: Promise<void>;

  constructor(
    readonly name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    options: { stdout?: 'capture' | 'stderr' } = {},
  ) {
    this.process = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exit = new Promise((resolve) => {
      this.process.once('exit', (code) => {
        this.exited = code;
        resolve();
      });
    });
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-2000);
      if (options.stdout === 'stderr') process.stderr.write(chunk);
    });
    if (options.stdout === 'stderr') this.process.stdout!.on('data', (c: Buffer) => process.stderr.write(c));
  }

  get pid(): number {
    return this.process.pid!;
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /** What it wrote on stdout, once it has exited; an error with its stderr tail when it failed. */
  async output(): Promise<string> {
    const chunks: Buffer[] = [];
    this.process.stdout!.on('data', (c: Buffer) => chunks.push(c));
    await this.exit;
    if (this.exited !== 0)
      throw new Error(`${this.name} exited with ${this.exited}: ${this.tail.slice(-800)}`);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Runs to its end; an error with the stderr tail unless it exits 0. */
  async done(): Promise<void> {
    await this.exit;
    if (this.exited !== 0)
      throw new Error(`${this.name} exited with ${this.exited}: ${this.tail.slice(-800)}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  failure(): string {
    return `${this.name} exited (${this.exited}): ${this.tail.slice(-800)}`;
  }
}

/** Polls `url` until it answers 2xx (the child still running), or fails after `timeoutMs`. */
export async function waitReady(child: Child, url: string, init: RequestInit, timeoutMs = 120_000) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (!child.running) throw new Error(child.failure());
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${child.name} was not ready after ${timeoutMs / 1000} s`);
}

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status); NaN where unreadable. */
export async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time (user + system) `pid` has used so far, in ms, from /proc/<pid>/stat (clock ticks of USER_HZ,
 * 100 on Linux). CPU per request survives a noisy shared machine far better than latency does.
 */
export async function cpuMillis(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Samples the RSS of `pid` every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 250) {
  const samples: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const value = await rssBytes(pid);
      if (Number.isFinite(value)) samples.push(value);
      await sleep(everyMs);
    }
  })();
  return {
    async stop(): Promise<number[]> {
      stopped = true;
      await loop;
      return samples;
    },
  };
}
