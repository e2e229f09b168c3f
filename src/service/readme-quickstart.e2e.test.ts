import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { REPO_ROOT } from '../testing/shared-reference.ts';

const run = promisify(execFile);

/** The shell blocks of the README's quick start that a user pastes after starting Warden. */
async function quickStartBlocks(): Promise<string[]> {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Quick start')[1]?.split('\n## ')[0] ?? '';
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.filter((block) => !block.includes('npm start') && !block.includes('warden agent'));
}

async function waitForFile(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

test('README quick start raises the violation it promises', async () => {
  const blocks = await quickStartBlocks();
  assert.ok(blocks.length >= 4, `expected the quick start's shell blocks, found ${blocks.length}`);
  const cwd = await mkdtemp(path.join(tmpdir(), 'warden-quickstart-'));
  const server = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'warden.js'),
      'serve',
      '--mqtt-port',
      '0',
      '--http-port',
      '0',
      '--log-level',
      'warn',
    ],
    { cwd, stdio: 'ignore' },
  );
  try {
    const endpoints = JSON.parse(
      await waitForFile(path.join(cwd, 'warden-data', 'endpoints.json'), 15000),
    ) as { mqtt: string; http: string };
    const script = blocks
      .join('\n')
      .replaceAll('127.0.0.1:8080', new URL(endpoints.http).host)
      .replaceAll('-p 8883', `-p ${new URL(endpoints.mqtt).port}`);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd,
      timeout: 60000,
    });

    assert.match(stdout, /"thingName":"sensor-1","reportId":1,"status":"ACCEPTED"/);
    const violations = JSON.parse(stdout.slice(stdout.lastIndexOf('{\n  "activeViolations"'))) as {
      activeViolations: { behavior: { name: string }; lastViolationValue: unknown }[];
    };
    assert.equal(violations.activeViolations.length, 1);
    assert.equal(violations.activeViolations[0]?.behavior.name, 'max-one-tcp-port');
    assert.deepEqual(violations.activeViolations[0]?.lastViolationValue, { count: 3 });
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await rm(cwd, { recursive: true, force: true });
  }
});
