import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importCycles, importGraph } from './import-cycles';

const root = join(__dirname, '../../..');
const projects = ['apps', 'libs'].flatMap((kind) =>
  readdirSync(join(root, kind)).map((name) => `${kind}/${name}/src`),
);

describe('import cycles', () => {
  it('finds a cycle through several files and a file importing itself, and nothing in a tree', () => {
    const graph = new Map([
      ['module.ts', ['definition.ts', 'feature/controller.ts']],
      ['definition.ts', ['module.ts']],
      ['feature/controller.ts', ['feature/use-case.ts']],
      ['feature/use-case.ts', []],
      ['self.ts', ['self.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['definition.ts', 'module.ts'], ['self.ts']]);
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads the relative imports of a real project', () => {
    const graph = importGraph(join(root, 'apps/intake/src'));
    // A side-effect import (`import './instrumentation'`) is an edge like any other.
    expect(graph.get('main.ts')).toEqual(['instrumentation.ts', 'intake.definition.ts']);
  });

  // A cycle means two files cannot be understood, tested or moved one without the other, and the side read
  // first at start-up sees the other half-initialised.
  it.each(projects)('none between the files of %s', (project) => {
    expect(importCycles(importGraph(join(root, project)))).toEqual([]);
  });
});
