/**
 * Bernstein's batch gcd: for every modulus n_i of a set, gcd(n_i, product of all the others),
 * in time close to linear in the total size instead of one gcd per pair.
 *
 * The product tree multiplies the moduli pairwise up to the root P. The classic remainder tree
 * then reduces P modulo n_i^2 down the tree, and (P mod n_i^2) / n_i = (P / n_i) mod n_i. V8's
 * BigInt division costs about six multiplications at these sizes, so this module walks a scaled
 * remainder tree instead (Bernstein, "Scaled remainder trees", 2004): each node keeps the
 * fixed-point fraction t_v = frac(P / N_v^2), and a child c with sibling s gets
 * t_c = frac(t_v * N_s^2), one multiplication and a truncation. At a leaf,
 * (P / n_i) mod n_i = round(n_i * t_i).
 *
 * For worker threads, the moduli are cut into one block per worker. A block with product R,
 * whose complement in the set has product O, starts its own walk from t_R = frac(O / R).
 */

import { bitLength, gcd } from './bigint-math.ts';

/**
 * Extra fraction bits beyond the minimum. Truncation error grows by at most a factor of 4 per
 * level, so 128 bits cover trees of 40 levels (10^12 moduli) with a wide margin.
 */
const GUARD_BITS = 128;

/** A fixed-point fraction in [0, 1): value / 2^bits. */
export interface Fraction {
  value: bigint;
  bits: number;
}

/** A product tree: level 0 contains the leaves, and the last level contains the root alone. */
export interface ProductTree {
  levels: bigint[][];
  /** Bit length of every node, level by level. */
  bits: number[][];
  /** Bit length of the smallest leaf under every node, which sets the node's fraction bits. */
  smallestLeafBits: number[][];
}

/** Multiplies the values pairwise up to one root; an odd node out moves up unchanged. */
export function buildProductTree(values: readonly bigint[]): ProductTree {
  if (values.length === 0) throw new RangeError('Cannot build a product tree of no values');

  const levels: bigint[][] = [values.slice()];
  const bits: number[][] = [values.map((value) => bitLength(value))];
  const smallestLeafBits: number[][] = [bits[0]?.slice() ?? []];
  for (;;) {
    const below = levels[levels.length - 1] ?? [];
    const belowBits = bits[bits.length - 1] ?? [];
    const belowSmallest = smallestLeafBits[smallestLeafBits.length - 1] ?? [];
    if (below.length === 1) break;

    const level: bigint[] = [];
    const levelBits: number[] = [];
    const levelSmallest: number[] = [];
    for (let i = 0; i < below.length; i += 2) {
      const left = below[i] ?? 1n;
      const right = below[i + 1];
      const product = right === undefined ? left : left * right;
      const estimate = (belowBits[i] ?? 0) + (belowBits[i + 1] ?? 0);
      level.push(product);
      levelBits.push(right === undefined ? (belowBits[i] ?? 0) : bitLength(product, estimate));
      levelSmallest.push(Math.min(belowSmallest[i] ?? Infinity, belowSmallest[i + 1] ?? Infinity));
    }
    levels.push(level);
    bits.push(levelBits);
    smallestLeafBits.push(levelSmallest);
  }
  return { levels, bits, smallestLeafBits };
}

/** Returns the root of a product tree. */
export function treeRoot(tree: ProductTree): bigint {
  return tree.levels[tree.levels.length - 1]?.[0] ?? 1n;
}

/**
 * Returns the fraction bits a node of `bits` bits needs for its leaves to come out exact. Errors
 * are multiplied by the squared siblings on the way down, about N_v^2 / n_i^2 in all, and a
 * leaf needs an error under 1 / (2 n_i).
 */
export function fractionBits(bits: number, smallestLeafBits: number): number {
  return Math.max(bits + GUARD_BITS, 2 * bits - smallestLeafBits + GUARD_BITS);
}

/**
 * Returns the fractions frac(P / N^2) of the root's two children L and R, where P = L * R is the
 * root: frac(P / L^2) = frac(R / L). This one division replaces computing 1 / P.
 */
export function rootChildFractions(tree: ProductTree): Fraction[] {
  const level = tree.levels.length - 2;
  const [left, right] = tree.levels[level] ?? [];
  if (left === undefined || right === undefined) {
    throw new RangeError('Cannot split a product tree of one leaf');
  }
  return [
    divideFraction(right, left, nodeFractionBits(tree, level, 0)),
    divideFraction(left, right, nodeFractionBits(tree, level, 1)),
  ];
}

/**
 * Returns the root's fraction frac(P / R^2) = frac(other / R) for a tree that holds one block of
 * the moduli, where `other` is the product of all the moduli outside it.
 */
export function rootFraction(tree: ProductTree, other: bigint): Fraction {
  return divideFraction(other, treeRoot(tree), nodeFractionBits(tree, tree.levels.length - 1, 0));
}

function nodeFractionBits(tree: ProductTree, level: number, index: number): number {
  const bits = tree.bits[level]?.[index] ?? 0;
  return fractionBits(bits, tree.smallestLeafBits[level]?.[index] ?? bits);
}

function divideFraction(numerator: bigint, denominator: bigint, bits: number): Fraction {
  return { value: ((numerator % denominator) << BigInt(bits)) / denominator, bits };
}

/**
 * Walks the scaled remainder tree from the fractions of the nodes at `level` down to the
 * leaves, and returns the leaves' fractions.
 */
export function descendFractions(
  tree: ProductTree,
  level: number,
  fractions: readonly Fraction[],
): Fraction[] {
  let current = fractions.slice();
  for (let below = level - 1; below >= 0; below -= 1) {
    current = descendOneLevel(tree, below, current);
  }
  return current;
}

function descendOneLevel(
  tree: ProductTree,
  level: number,
  parents: readonly Fraction[],
): Fraction[] {
  const nodes = tree.levels[level] ?? [];
  const fractions = new Array<Fraction>(nodes.length);
  parents.forEach((parent, index) => {
    const left = 2 * index;
    const right = left + 1;
    if (right >= nodes.length) {
      fractions[left] = parent;
      return;
    }
    const leftNode = nodes[left] ?? 1n;
    const rightNode = nodes[right] ?? 1n;
    fractions[left] = scale(parent, rightNode * rightNode, nodeFractionBits(tree, level, left));
    fractions[right] = scale(parent, leftNode * leftNode, nodeFractionBits(tree, level, right));
  });
  return fractions;
}

/** Returns frac(t * factor) with `bits` fraction bits; the discarded part is the integer part. */
function scale(parent: Fraction, factor: bigint, bits: number): Fraction {
  const product = BigInt.asUintN(parent.bits, parent.value * factor);
  return { value: product >> BigInt(parent.bits - bits), bits };
}

/**
 * Returns gcd(n_i, P / n_i) for each leaf from its fraction t_i = frac(P / n_i^2), using
 * (P / n_i) mod n_i = round(n_i * t_i).
 */
export function gcdsFromFractions(
  leaves: readonly bigint[],
  fractions: readonly Fraction[],
): bigint[] {
  return leaves.map((modulus, index) => {
    const fraction = fractions[index] ?? { value: 0n, bits: 1 };
    const half = 1n << BigInt(fraction.bits - 1);
    let cofactorResidue = (modulus * fraction.value + half) >> BigInt(fraction.bits);
    if (cofactorResidue >= modulus) cofactorResidue -= modulus;
    return gcd(modulus, cofactorResidue);
  });
}

/** Runs the whole batch gcd in this thread; returns one gcd per modulus, in input order. */
export function batchGcdInThread(moduli: readonly bigint[]): bigint[] {
  if (moduli.length < 2) return moduli.map(() => 1n);
  const tree = buildProductTree(moduli);
  const top = tree.levels.length - 2;
  const fractions = descendFractions(tree, top, rootChildFractions(tree));
  return gcdsFromFractions(moduli, fractions);
}
