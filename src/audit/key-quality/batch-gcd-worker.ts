/**
 * Worker thread for the parallel batch gcd. It builds the product tree of its block of moduli
 * and returns the root. It then receives the product of the other blocks, walks its remainder
 * tree from frac(other / root) down to the leaves, and returns the leaf gcds that are not 1.
 */

import { parentPort } from 'node:worker_threads';

import {
  buildProductTree,
  descendFractions,
  gcdsFromFractions,
  rootFraction,
  treeRoot,
  type ProductTree,
} from './batch-gcd.ts';

/** Messages from the parent thread, `build` first and then `descend`. */
export type WorkerRequest =
  { kind: 'build'; moduli: bigint[] } | { kind: 'descend'; other: bigint };

/** Messages to the parent thread. */
export type WorkerReply =
  | { kind: 'root'; root: bigint }
  | { kind: 'gcds'; nonTrivial: Array<[number, bigint]> }
  | { kind: 'error'; message: string };

let tree: ProductTree | undefined;

parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = handle(request);
  } catch (error) {
    reply = { kind: 'error', message: (error as Error).message };
  }
  parentPort?.postMessage(reply);
});

function handle(request: WorkerRequest): WorkerReply {
  if (request.kind === 'build') {
    tree = buildProductTree(request.moduli);
    return { kind: 'root', root: treeRoot(tree) };
  }
  if (tree === undefined) throw new Error('Batch gcd worker received "descend" before "build"');

  const top = tree.levels.length - 1;
  const fractions = descendFractions(tree, top, [rootFraction(tree, request.other)]);
  const nonTrivial: Array<[number, bigint]> = [];
  gcdsFromFractions(tree.levels[0] ?? [], fractions).forEach((divisor, index) => {
    if (divisor !== 1n) nonTrivial.push([index, divisor]);
  });
  tree = undefined;
  return { kind: 'gcds', nonTrivial };
}
