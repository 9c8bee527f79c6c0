import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/**
 * Lints a probe file placed inside a project (type-aware rules need a real file in a real project), and
 * returns the rule ids that fired. The probe is removed whatever happens.
 */
function lintProbe(projectDir: string, source: string): string[] {
  const file = join(root, projectDir, 'src', `boundary-probe-${process.pid}.ts`);
  writeFileSync(file, source);
  try {
    // The real CLI, as CI runs it (ESLint's flat config is ESM, which Jest's module system cannot load).
    const run = spawnSync(join(root, 'node_modules/.bin/eslint'), ['--format', 'json', file], {
      cwd: root,
      encoding: 'utf8',
    });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
  } finally {
    rmSync(file, { force: true });
  }
}

describe('Nx module boundaries', () => {
  jest.setTimeout(60_000);

  it('fail lint when an app imports another app', () => {
    const messages = lintProbe(
      'apps/intake',
      "import { schedulingDefinition } from '../../scheduling/src/scheduling.definition';\nexport const probe = schedulingDefinition.name;\n",
    );
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fail lint when the contracts library imports Nest or TypeORM', () => {
    const messages = lintProbe(
      'libs/contracts',
      "import { Injectable } from '@nestjs/common';\nimport { DataSource } from 'typeorm';\nexport const probe = [Injectable, DataSource];\n",
    );
    expect(messages.filter((m) => m.startsWith('@nx/enforce-module-boundaries'))).toHaveLength(2);
  });

  it('fail lint when platform code reaches into an app or the contracts reach into the platform', () => {
    const platform = lintProbe(
      'libs/contracts',
      "import { loadConfig } from '@stepwise/platform';\nexport const probe = loadConfig;\n",
    );
    expect(platform.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('keep the testing library out of production code while specs may use it', () => {
    const source = "import { waitFor } from '@stepwise/testing';\nexport const probe = waitFor;\n";
    expect(lintProbe('apps/intake', source).some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(
      true,
    );
  });

  it('let the browser console import the api-model library and no other, and keep Node and Nest out of api-model', () => {
    const boundary = (messages: string[]): string[] =>
      messages.filter(
        (m) => m.startsWith('@nx/enforce-module-boundaries') || m.startsWith('no-restricted-imports'),
      );
    expect(
      boundary(
        lintProbe(
          'apps/console',
          "import { hasPermission } from '@stepwise/api-model';\nexport const probe = hasPermission;\n",
        ),
      ),
    ).toEqual([]);
    expect(
      boundary(
        lintProbe(
          'apps/console',
          "import { isRole } from '@stepwise/security';\nexport const probe = isRole;\n",
        ),
      ),
    ).toHaveLength(1);
    expect(
      boundary(
        lintProbe(
          'libs/api-model',
          "import { readFileSync } from 'node:fs';\nimport { join } from 'path';\nimport { Injectable } from '@nestjs/common';\nexport const probe = [readFileSync, join, Injectable];\n",
        ),
      ),
    ).toHaveLength(3);
  }, 300_000);

  it('make a floating promise a lint error', () => {
    const messages = lintProbe(
      'libs/platform',
      'async function work(): Promise<void> {\n  return;\n}\nexport function probe(): void {\n  work();\n}\n',
    );
    expect(messages.some((m) => m.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
  });

  it('list the four services and the libraries as Nx projects', () => {
    const projects = JSON.parse(
      execFileSync('npx', ['nx', 'show', 'projects', '--json'], { cwd: root, encoding: 'utf8' }),
    ) as string[];
    expect(projects.sort()).toEqual(
      expect.arrayContaining([
        'api-model',
        'contracts',
        'intake',
        'messaging',
        'notifications',
        'platform',
        'scheduling',
        'sessions',
        'testing',
      ]),
    );
  });
});
