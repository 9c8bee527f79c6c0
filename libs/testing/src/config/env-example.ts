import { readEnvFile } from '@stepwise/infra';
import { type ServiceConfig, loadConfig } from '@stepwise/platform';
import { getMetadataStorage } from 'class-validator';

/** The variable names a configuration class validates (its own and those it inherits). */
export function configVariables(schema: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

/** The assignments of an `.env.example` file. */
export function envExample(path: string): Record<string, string> {
  return readEnvFile(path);
}

/**
 * Proves a service's `.env.example` documents exactly the variables its configuration class reads, with
 * values that pass validation, and that its port is the default.
 */
export function describeServiceConfig(
  service: string,
  schema: new () => ServiceConfig,
  envExamplePath: string,
): void {
  describe(`${service} configuration`, () => {
    const example = envExample(envExamplePath);

    it('is documented variable for variable by .env.example', () => {
      expect(Object.keys(example).sort()).toEqual(configVariables(schema));
    });

    it('accepts the values of .env.example, whose port is its default', () => {
      const { PORT, ...rest } = example;
      expect(loadConfig(service, schema, example).PORT).toBe(Number(PORT));
      expect(loadConfig(service, schema, rest).PORT).toBe(Number(PORT));
    });
  });
}

/**
 * Proves a key-encryption-key variable (`NOTES_KEK`, `PHI_KEK`…): required in production, 32 bytes of base64,
 * and optional elsewhere (a random key per process).
 */
export function describeKekVariable(
  service: string,
  schema: new () => ServiceConfig,
  envExamplePath: string,
  variable: string,
): void {
  describe(variable, () => {
    const example = envExample(envExamplePath);
    const withoutKey = Object.fromEntries(Object.entries(example).filter(([name]) => name !== variable));

    it('is required in production and must be 32 bytes of base64', () => {
      expect(() => loadConfig(service, schema, { ...withoutKey, NODE_ENV: 'production' })).toThrow(
        new RegExp(`${variable} is required in production`),
      );
      expect(() =>
        loadConfig(service, schema, { ...example, [variable]: Buffer.alloc(16).toString('base64') }),
      ).toThrow(new RegExp(`${variable} must be 32 bytes`));
    });

    it('may be absent in development and tests (a random key per process)', () => {
      const config = loadConfig(service, schema, { ...withoutKey, NODE_ENV: 'test' }) as unknown as Record<
        string,
        unknown
      >;
      expect(config[variable]).toBeUndefined();
    });
  });
}
