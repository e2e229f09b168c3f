/**
 * Lists the files of an offline audit folder and sorts them by the input they hold, decided by
 * name and place: PEM files anywhere, JSON files by their folder (`policies/`, `roles/`, …).
 */

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OfflineProblem } from './offline-inputs.ts';

/** The inputs a file can hold, decided by its name and folder. */
export type InputFileKind =
  'pem' | 'crl' | 'certificate-json' | 'policy' | 'role' | 'identity-pool' | 'logging';

/** One file to read, with its path relative to the folder (always `/` separators). */
export interface InputFile {
  file: string;
  absolutePath: string;
  kind: InputFileKind;
}

/**
 * Limits that keep a mistaken path (a home directory, a mount) from being read without end.
 * NOTE: Warden's own bounds, far above an export of one account; raise them if a fleet needs more.
 */
export const FOLDER_LIMITS = {
  maxFiles: 200_000,
  maxDepth: 16,
  maxFileBytes: 16 * 1024 * 1024,
};

const JSON_FOLDERS: Record<string, InputFileKind> = {
  certificates: 'certificate-json',
  policies: 'policy',
  roles: 'role',
  'identity-pools': 'identity-pool',
};

const KNOWN_INPUTS =
  'expected certificates.json, logging.json, or a JSON file under certificates/, policies/, roles/ or identity-pools/';

/**
 * Walks the folder and returns the files the audit reads, sorted by path. Hidden entries (names
 * starting with `.`) are left out, and symbolic links to folders are not followed, so a link
 * cycle cannot loop. Unknown JSON files are returned as problems, because a misspelt name such
 * as `loging.json` would otherwise drop an input without a word.
 * @throws Error when the folder does not exist or is not a folder.
 */
export async function listInputFiles(
  folder: string,
): Promise<{ files: InputFile[]; problems: OfflineProblem[] }> {
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read folder "${folder}": ${error.code ?? error.message}`);
  });
  if (!info.isDirectory()) throw new Error(`Cannot read folder "${folder}": it is not a folder`);

  const files: InputFile[] = [];
  const problems: OfflineProblem[] = [];
  await walk(folder, '', 0, files, problems);
  files.sort((a, b) => compareText(a.file, b.file));
  return { files, problems };
}

async function walk(
  root: string,
  relative: string,
  depth: number,
  files: InputFile[],
  problems: OfflineProblem[],
): Promise<void> {
  if (depth > FOLDER_LIMITS.maxDepth) {
    problems.push({
      file: relative,
      message: `Folder is nested more than ${FOLDER_LIMITS.maxDepth} levels deep; its contents are not read`,
    });
    return;
  }
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const file = relative === '' ? entry.name : `${relative}/${entry.name}`;
    const absolutePath = path.join(root, file);
    if (entry.isDirectory()) {
      await walk(root, file, depth + 1, files, problems);
      continue;
    }
    if (!(entry.isFile() || (entry.isSymbolicLink() && (await isLinkToFile(absolutePath)))))
      continue;
    const kind = kindOf(file);
    if (kind === 'unknown-json') {
      problems.push({ file, message: `Not an audit input: ${KNOWN_INPUTS}` });
      continue;
    }
    if (kind === undefined) continue;
    if (files.length >= FOLDER_LIMITS.maxFiles) {
      problems.push({
        file,
        message: `More than ${FOLDER_LIMITS.maxFiles} input files; this one and later ones are not read`,
      });
      return;
    }
    files.push({ file, absolutePath, kind });
  }
}

async function isLinkToFile(absolutePath: string): Promise<boolean> {
  try {
    return (await stat(absolutePath)).isFile();
  } catch {
    return false;
  }
}

function kindOf(file: string): InputFileKind | 'unknown-json' | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.pem') || lower.endsWith('.crt')) return 'pem';
  if (lower.endsWith('.crl')) return 'crl';
  if (!lower.endsWith('.json')) return undefined;
  if (file === 'certificates.json') return 'certificate-json';
  if (file === 'logging.json') return 'logging';
  const folder = file.includes('/') ? file.slice(0, file.indexOf('/')) : undefined;
  return (folder !== undefined ? JSON_FOLDERS[folder] : undefined) ?? 'unknown-json';
}

/**
 * Reads a file as UTF-8 text, refusing files over the size limit.
 * @throws Error naming the file when it is too large or cannot be read.
 */
export async function readInputText(input: InputFile): Promise<string> {
  const size = (await stat(input.absolutePath)).size;
  if (size > FOLDER_LIMITS.maxFileBytes) {
    throw new Error(
      `File has ${size} bytes, more than the maximum of ${FOLDER_LIMITS.maxFileBytes}`,
    );
  }
  return readFile(input.absolutePath, 'utf8');
}

/** Parses JSON text, or returns the parser's reason. */
export function parseJsonText(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
