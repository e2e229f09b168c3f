/**
 * Reading fleet files: a file, or every `*.yaml`, `*.yml` and `*.json` file of a directory (not
 * its subdirectories), parsed and checked against the schema. Syntax errors give the line and
 * column. Checks that need no Warden run here too: policy documents with Warden's policy
 * validator and mitigation action parameters with the rules of CreateMitigationAction.
 */

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { validatePolicyDocument } from '../broker/policy/index.ts';
import { actionParamsProblems } from '../mitigate/api/action-params.ts';
import { fleetDocument, type FleetDocument } from './fleet-schema.ts';
import { schemaProblems, type FleetProblem } from './problems.ts';

const FLEET_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** YAML syntax errors reported per file; later ones are usually caused by the first. */
const MAX_SYNTAX_PROBLEMS = 5;

/** A fleet file that parsed and matched the schema. */
export interface FleetSource {
  file: string;
  document: FleetDocument;
}

/**
 * Lists the fleet files that paths name, in the order given and by name within a directory.
 * Problems name paths that do not exist and directories without fleet files.
 */
export async function listFleetFiles(
  paths: readonly string[],
): Promise<{ files: string[]; problems: FleetProblem[] }> {
  const files: string[] = [];
  const problems: FleetProblem[] = [];
  for (const fleetPath of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(fleetPath)).isDirectory();
    } catch (error) {
      problems.push(unreadable(fleetPath, error));
      continue;
    }
    if (!isDirectory) {
      files.push(fleetPath);
      continue;
    }
    const names = (await readdir(fleetPath)).filter((name) =>
      FLEET_EXTENSIONS.includes(path.extname(name).toLowerCase()),
    );
    if (names.length === 0) {
      const patterns = FLEET_EXTENSIONS.map((extension) => `*${extension}`).join(', ');
      const message = `the directory has no ${patterns} files`;
      problems.push({ code: 'unreadable', file: fleetPath, path: '', message });
    }
    files.push(...names.sort().map((name) => path.join(fleetPath, name)));
  }
  return { files, problems };
}

/** Reads and checks each file; returns the valid documents and every problem found. */
export async function readFleetFiles(
  files: readonly string[],
): Promise<{ sources: FleetSource[]; problems: FleetProblem[] }> {
  const sources: FleetSource[] = [];
  const problems: FleetProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push(unreadable(file, error));
      continue;
    }
    const parsed = parseFleetText(file, text);
    problems.push(...parsed.problems);
    if (parsed.document !== undefined) sources.push({ file, document: parsed.document });
  }
  return { sources, problems };
}

/**
 * Parses one file's text (JSON when the name ends in `.json`, YAML otherwise) and checks it.
 * The document is returned only when there is no problem.
 */
export function parseFleetText(
  file: string,
  text: string,
): { document?: FleetDocument; problems: FleetProblem[] } {
  const syntax = file.toLowerCase().endsWith('.json')
    ? parseJson(file, text)
    : parseYaml(file, text);
  if (syntax.problems.length > 0) return { problems: syntax.problems };

  const result = fleetDocument.safeParse(syntax.value, { reportInput: true });
  if (!result.success) return { problems: schemaProblems(file, result.error.issues) };
  const problems = documentProblems(file, result.data);
  return problems.length > 0 ? { problems } : { document: result.data, problems };
}

function parseJson(file: string, text: string): { value?: unknown; problems: FleetProblem[] } {
  try {
    return { value: JSON.parse(text), problems: [] };
  } catch (error) {
    const message = (error as Error).message;
    const offset = /at position (\d+)/.exec(message)?.[1];
    const where = offset === undefined ? '' : location(text, Number(offset));
    // The line and column replace the character offset that JSON.parse names.
    const reason = message.replace(/ in JSON at position \d+.*$/, '');
    return {
      problems: [{ code: 'syntax', file, path: where, message: `invalid JSON: ${reason}` }],
    };
  }
}

function parseYaml(file: string, text: string): { value?: unknown; problems: FleetProblem[] } {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problems = document.errors.slice(0, MAX_SYNTAX_PROBLEMS).map((error): FleetProblem => ({
    code: 'syntax',
    file,
    path: location(text, error.pos[0]),
    message: `invalid YAML: ${error.message}`,
  }));
  if (problems.length > 0) return { problems };
  try {
    // The alias limit keeps a small file from expanding into a huge value.
    return { value: document.toJS({ maxAliasCount: 100 }), problems: [] };
  } catch (error) {
    const message = `invalid YAML: ${(error as Error).message}`;
    return { problems: [{ code: 'syntax', file, path: '', message }] };
  }
}

/** Returns `line L, column C` (both from 1) of a character offset. */
function location(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  const column = (before.at(-1)?.length ?? 0) + 1;
  return `line ${before.length}, column ${column}`;
}

/** Checks that need the whole parsed document but no Warden. */
function documentProblems(file: string, document: FleetDocument): FleetProblem[] {
  const problems: FleetProblem[] = [];
  document.policies?.forEach((policy, index) => {
    const validation = validatePolicyDocument(JSON.stringify(policy.document));
    for (const problem of validation.problems) {
      const at = problem.path === '' ? '' : `.${problem.path}`;
      const where = `policies[${index}].document${at}`;
      problems.push({ code: 'invalid', file, path: where, message: problem.message });
    }
  });
  document.mitigationActions?.forEach((action, index) => {
    for (const problem of actionParamsProblems(action.actionParams)) {
      const where = `mitigationActions[${index}].${problem.path}`;
      problems.push({ code: 'invalid', file, path: where, message: problem.message });
    }
  });
  return problems;
}

function unreadable(file: string, error: unknown): FleetProblem {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file or directory' : (error as Error).message;
  return { code: 'unreadable', file, path: '', message: `cannot read: ${reason}` };
}
