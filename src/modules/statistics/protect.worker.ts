import { parentPort } from 'node:worker_threads';
import { type ProtectReply, type ProtectRequest, protectAndVerify } from './protect-job.js';

// The protection worker's thread (started by protect-pool.ts): one job at a time, in order.
parentPort?.on('message', ({ id, job }: ProtectRequest) => {
  let reply: ProtectReply;
  const transfer = new Set<ArrayBuffer>();
  try {
    const protection = protectAndVerify(job);
    // The main thread keeps these arrays; this thread is done with them.
    for (const array of [protection.hidden, protection.need, protection.group, protection.frozen])
      transfer.add(array.buffer as ArrayBuffer);
    reply = { id, protection };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    reply = { id, error: { message, stack } };
  }
  parentPort!.postMessage(reply, [...transfer]);
});
