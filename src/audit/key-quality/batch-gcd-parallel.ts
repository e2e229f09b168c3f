/**
 * Runs the batch gcd on worker threads, one contiguous block of moduli per worker. Each worker
 * builds its block's product tree and returns the root. The calling thread multiplies the other
 * roots together for each block, and each worker then walks its own remainder tree and computes
 * its leaf gcds. So the product and remainder work both spread over the cores, while the calling
 * thread only computes W products of W - 1 roots.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { batchGcdInThread } from './batch-gcd.ts';
import type { WorkerReply, WorkerRequest } from './batch-gcd-worker.ts';

/** Options that spread the batch gcd's work over threads. */
export interface BatchGcdOptions {
  /** Worker threads; default: the available parallelism, at most 8. 0 or 1 runs in this thread. */
  workers?: number;
  /** Below this many moduli the batch gcd runs in the calling thread; default 2,048. */
  parallelThreshold?: number;
}

const DEFAULT_PARALLEL_THRESHOLD = 2048;
const MAX_DEFAULT_WORKERS = 8;

/**
 * Returns gcd(n_i, product of the other moduli) for every modulus, in input order.
 * @throws Error when a worker fails.
 */
export async function batchGcd(
  moduli: readonly bigint[],
  options: BatchGcdOptions = {},
): Promise<bigint[]> {
  const workerCount = options.workers ?? Math.min(availableParallelism(), MAX_DEFAULT_WORKERS);
  const threshold = Math.max(
    2 * workerCount,
    options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD,
  );
  if (workerCount < 2 || moduli.length < threshold) return batchGcdInThread(moduli);

  const blocks = splitIntoBlocks(moduli, workerCount);
  const workers = blocks.map(() => startWorker());
  try {
    const roots = await Promise.all(
      workers.map((worker, index) =>
        request(worker, { kind: 'build', moduli: blocks[index] ?? [] }, 'root'),
      ),
    );
    const others = complementProducts(roots.map((reply) => reply.root));
    const results = await Promise.all(
      workers.map((worker, index) =>
        request(worker, { kind: 'descend', other: others[index] ?? 1n }, 'gcds'),
      ),
    );
    return mergeResults(moduli.length, blocks, results);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function splitIntoBlocks(moduli: readonly bigint[], count: number): bigint[][] {
  const size = Math.ceil(moduli.length / count);
  const blocks: bigint[][] = [];
  for (let start = 0; start < moduli.length; start += size)
    blocks.push(moduli.slice(start, start + size));
  return blocks;
}

/** Returns, for each root, the product of all the other roots, via prefix and suffix products. */
function complementProducts(roots: readonly bigint[]): bigint[] {
  const prefix: bigint[] = [1n];
  for (const root of roots) prefix.push((prefix[prefix.length - 1] ?? 1n) * root);
  const products = new Array<bigint>(roots.length);
  let suffix = 1n;
  for (let index = roots.length - 1; index >= 0; index -= 1) {
    products[index] = (prefix[index] ?? 1n) * suffix;
    suffix *= roots[index] ?? 1n;
  }
  return products;
}

function mergeResults(
  count: number,
  blocks: readonly bigint[][],
  results: ReadonlyArray<Extract<WorkerReply, { kind: 'gcds' }>>,
): bigint[] {
  const gcds = new Array<bigint>(count).fill(1n);
  let offset = 0;
  blocks.forEach((block, index) => {
    for (const [position, divisor] of results[index]?.nonTrivial ?? [])
      gcds[offset + position] = divisor;
    offset += block.length;
  });
  return gcds;
}

type ReplyOf<K extends WorkerReply['kind']> = Extract<WorkerReply, { kind: K }>;

/** Sends one request and waits for its reply; each worker has one request at a time. */
function request<K extends WorkerReply['kind']>(
  worker: Worker,
  message: WorkerRequest,
  expected: K,
): Promise<ReplyOf<K>> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      reject(new Error(`Batch gcd worker failed: ${error.message}`, { cause: error }));
    };
    const onMessage = (reply: WorkerReply): void => {
      worker.off('error', onError);
      if (reply.kind === expected) {
        resolve(reply as ReplyOf<K>);
        return;
      }
      const detail = reply.kind === 'error' ? reply.message : `unexpected reply "${reply.kind}"`;
      reject(new Error(`Batch gcd worker failed: ${detail}`));
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(message);
  });
}

/**
 * Starts a worker on the TypeScript module through tsx's loader, because under Node 20 worker
 * threads do not inherit the parent's `--import tsx` hooks.
 */
function startWorker(): Worker {
  const moduleUrl = new URL('./batch-gcd-worker.ts', import.meta.url).href;
  const loaderUrl = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loaderUrl)}).then((api) => { api.register(); return import(${JSON.stringify(moduleUrl)}); });`;
  return new Worker(bootstrap, { eval: true });
}
