/**
 * Policy variables in `Resource`, `NotResource` and condition values: `${iot:ClientId}`,
 * `${iot:Connection.Thing.ThingName}`, `${key, 'default'}` and the fixed escapes `${*}`, `${?}`,
 * `${$}` (literal `*`, `?`, `$`).
 *
 * Sources: AWS IoT Core Developer Guide, "AWS IoT Core policy variables" (iot-policy-variables)
 * and IAM User Guide, "IAM policy elements: Variables and tags" (reference_policies_variables,
 * sections "Special characters" and "Specifying default values").
 */

import { wildcardPieces, type PatternPiece } from './wildcard.ts';

/** One part of a string that may contain policy variables. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string; readonly defaultValue?: string };

/** A string from a policy document, split into text, escapes and variables. */
export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Whether any part is a variable, so the string differs between connections. */
  readonly hasVariables: boolean;
}

/**
 * Looks up a variable's value for one connection; `undefined` means the variable has no value
 * (for example a thing variable when no thing is attached).
 */
export type VariableLookup = (name: string) => string | undefined;

/**
 * The IoT guide spells the escapes `$(*)`, `$(?)` and `$($)` while IAM spells them `${*}`, `${?}`,
 * `${$}`. NOTE: which spelling AWS IoT accepts is unconfirmed, so both are read as escapes.
 */
const PAREN_ESCAPES = new Map([
  ['$(*)', '*'],
  ['$(?)', '?'],
  ['$($)', '$'],
]);

const DEFAULT_VALUE = /^\s*([^,]*?)\s*,\s*'([^']*)'\s*$/;

/**
 * Parses a policy string into parts. Policy language version `2008-10-17` has no variables, so
 * `variables: false` keeps the whole string as text, as IAM does for that version.
 */
export function parseTemplate(source: string, variables = true): Template {
  if (!variables || !source.includes('$')) {
    return {
      source,
      parts: source === '' ? [] : [{ kind: 'text', text: source }],
      hasVariables: false,
    };
  }

  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const escape = PAREN_ESCAPES.get(source.slice(i, i + 4));
    const close = source.startsWith('${', i) ? source.indexOf('}', i + 2) : -1;
    if (escape === undefined && close === -1) {
      text += source[i];
      i++;
      continue;
    }

    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    if (escape !== undefined) {
      parts.push({ kind: 'literal', text: escape });
      i += 4;
    } else {
      parts.push(variablePart(source.slice(i + 2, close)));
      i = close + 1;
    }
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { source, parts, hasVariables: parts.some((part) => part.kind === 'variable') };
}

function variablePart(inner: string): TemplatePart {
  if (inner === '*' || inner === '?' || inner === '$') return { kind: 'literal', text: inner };
  const withDefault = DEFAULT_VALUE.exec(inner);
  if (withDefault) {
    return { kind: 'variable', name: withDefault[1] ?? '', defaultValue: withDefault[2] ?? '' };
  }
  return { kind: 'variable', name: inner.trim() };
}

/** Names of the variables a template uses, for audits and for spotting time-dependent values. */
export function templateVariables(template: Template): string[] {
  const names: string[] = [];
  for (const part of template.parts) if (part.kind === 'variable') names.push(part.name);
  return names;
}

/**
 * Resolves a template into wildcard pattern pieces: `*` and `?` in the policy text are wildcards,
 * while escapes and substituted values are literal, so a client ID of `*` cannot widen a policy.
 * Returns `undefined` when a variable has no value and no default: such a pattern matches nothing.
 */
export function resolvePattern(
  template: Template,
  lookup: VariableLookup,
): PatternPiece[] | undefined {
  const pieces: PatternPiece[] = [];
  for (const part of template.parts) {
    if (part.kind === 'text') {
      pieces.push(...wildcardPieces(part.text));
      continue;
    }
    const value = part.kind === 'literal' ? part.text : resolveVariable(part, lookup);
    if (value === undefined) return undefined;
    pieces.push(value);
  }
  return pieces;
}

function resolveVariable(
  part: { readonly name: string; readonly defaultValue?: string },
  lookup: VariableLookup,
): string | undefined {
  return lookup(part.name) ?? part.defaultValue;
}
