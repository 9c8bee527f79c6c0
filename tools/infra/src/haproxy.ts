import { join } from 'node:path';
import { unpackDebianPackages } from './debian-package';
import { infraDir } from './workspace';

export interface HaproxyBinary {
  readonly command: string;
  /** The environment it needs: the unpacked libraries Debian's haproxy links against. */
  readonly env: Record<string, string>;
}

/**
 * HAProxy from Debian's package (2.6 on bookworm), downloaded once with the two libraries it links that a
 * server machine usually lacks (Lua 5.3, the OpenTracing wrapper) and unpacked into `.infra/haproxy/`; run
 * from there with those libraries on LD_LIBRARY_PATH. Nothing installed system-wide, no service started.
 */
export function ensureHaproxy(log: (line: string) => void = () => undefined): HaproxyBinary {
  const dir = unpackDebianPackages(
    infraDir('haproxy'),
    ['haproxy', 'liblua5.3-0', 'libopentracing-c-wrapper0', 'libopentracing1'],
    join('usr', 'sbin', 'haproxy'),
    log,
  );
  return {
    command: join(dir, 'usr', 'sbin', 'haproxy'),
    env: { LD_LIBRARY_PATH: join(dir, 'usr', 'lib', 'x86_64-linux-gnu') },
  };
}
