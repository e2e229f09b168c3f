/**
 * Reduces a V8 CPU profile to the tables a reader needs: self time and total time by function,
 * and self time by area (a package, a folder of src/, a Node core module, GC, idle). The input
 * is the `.cpuprofile` JSON that `node --cpu-prof` and the inspector's `Profiler.stop` produce.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The fields of a `.cpuprofile` this summary reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One row of a summary table: a function or an area, with milliseconds and share of samples. */
export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  samples: number;
  selfByFunction: ProfileRow[];
  totalByFunction: ProfileRow[];
  selfByArea: ProfileRow[];
}

/** Summarizes `profile`, keeping the `limit` largest rows of each table. */
export function summarizeProfile(profile: CpuProfile, limit = 25): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let sampledMs = 0;
  profile.samples.forEach((id, index) => {
    // A sample weighs the gap to the next sample, and the last one the mean gap.
    const ms = sampleMs(profile, index);
    const node = nodes.get(id);
    if (!node) return;
    sampledMs += ms;
    add(self, functionKey(node.callFrame), ms);
    add(areas, areaOf(node.callFrame), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = nodes.get(at)?.callFrame;
      if (!frame || frame.functionName === '(root)') continue;
      const key = functionKey(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(total, key, ms);
    }
  });

  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => ({ name, ms, share: sampledMs > 0 ? ms / sampledMs : 0 }));
  return {
    sampledMs,
    samples: profile.samples.length,
    selfByFunction: rows(self),
    totalByFunction: rows(total),
    selfByArea: rows(areas),
  };
}

function sampleMs(profile: CpuProfile, index: number): number {
  const next = profile.timeDeltas[index + 1];
  if (next !== undefined) return next / 1000;
  const span = (profile.endTime - profile.startTime) / 1000;
  return profile.samples.length > 0 ? span / profile.samples.length : 0;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function functionKey(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  // tsx hands V8 each source file as one line, so a src/ line number would always read 1.
  const short = shortUrl(frame.url);
  return short.startsWith('src/') ? `${name} ${short}` : `${name} ${short}:${frame.lineNumber + 1}`;
}

/** Shortens a script URL to `package/file` or a repository-relative path. */
function shortUrl(url: string): string {
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) return file.slice(modules + '/node_modules/'.length);
  const repo = file.indexOf('/src/');
  if (repo >= 0) return file.slice(repo + 1);
  return file;
}

/** Names the area a frame belongs to: a package, `src/<folder>`, `node:<module>` or a V8 tag. */
export function areaOf(frame: CallFrame): string {
  if (frame.url === '') return frame.functionName || '(native)';
  const short = shortUrl(frame.url);
  if (short.startsWith('node:')) {
    const parts = short.replace(/^node:(internal\/)?/, '').split('/');
    return `node:${parts[0] ?? ''}`;
  }
  if (short.startsWith('src/')) return path.dirname(short);
  const segments = short.split('/');
  const scoped = segments[0]?.startsWith('@') ?? false;
  return scoped ? `${segments[0]}/${segments[1]}` : (segments[0] ?? short);
}

/** Formats a table of rows as fixed-width text lines. */
export function formatRows(title: string, rows: readonly ProfileRow[]): string {
  const lines = rows.map(
    (row) =>
      `  ${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`,
  );
  return [title, ...lines].join('\n');
}

/** Formats the three tables of a summary. */
export function formatSummary(summary: ProfileSummary, limit = 20): string {
  return [
    `Sampled ${summary.sampledMs.toFixed(0)} ms in ${summary.samples} samples`,
    formatRows('Self time by area:', summary.selfByArea.slice(0, limit)),
    formatRows('Self time by function:', summary.selfByFunction.slice(0, limit)),
    formatRows(
      'Total time by function (callees included):',
      summary.totalByFunction.slice(0, limit),
    ),
  ].join('\n\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: node --import tsx bench/reports/profile-summary.ts FILE.cpuprofile');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatSummary(summarizeProfile(profile, 40), 40));
}
