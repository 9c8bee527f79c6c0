import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { clockOverrideEnv, workspaceRoot } from '@stepwise/infra';
import { waitFor } from '../infra/wait-for';

/** A TypeScript script run as one real process (for kill and shutdown tests), and what it printed. */
export interface ScriptProcess {
  readonly process: ChildProcess;
  /** Complete lines printed so far (stdout; stderr lines are prefixed `STDERR `). */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(what: string, match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/**
 * Runs `script` with tsx as an import hook rather than its CLI: the CLI runs the script in a child process,
 * which a SIGKILL of the CLI would leave running. The environment is exactly `env` plus PATH (and a libfaketime
 * clock the runner has).
 */
export function spawnScript(script: string, env: Record<string, string>): ScriptProcess {
  const root = workspaceRoot();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      TSX_TSCONFIG_PATH: join(root, 'tsconfig.scripts.json'),
      ...clockOverrideEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (prefix: string): ((chunk: Buffer) => void) => {
    let buffer = '';
    return (chunk) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts.map((line) => `${prefix}${line}`));
    };
  };
  child.stdout?.on('data', collect(''));
  child.stderr?.on('data', collect('STDERR '));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    waitForLine: async (what, match, timeoutMs = 20_000) => {
      await waitFor(
        what,
        () => Promise.resolve(lines.find(match)),
        (line) => line !== undefined,
        timeoutMs,
      );
      return lines.find(match) ?? '';
    },
  };
}
