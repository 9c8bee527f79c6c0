// Shared webpack configuration for the four services: bundles a service and the workspace libraries it
// imports into dist/apps/<service>/main.js. Everything from node_modules stays external (required at run
// time), so the bundle is small and native modules work. Path aliases come from tsconfig.base.json, so
// there is one source for them.
const { join, resolve } = require('node:path');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = resolve(__dirname, '../..');

function aliases() {
  return Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`${alias}$`, join(root, target)]),
  );
}

/** @returns {import('webpack').Configuration} */
module.exports = function serviceConfig(service) {
  const projectRoot = join(root, 'apps', service);
  return {
    mode: 'production',
    target: 'node20',
    context: projectRoot,
    entry: { main: './src/main.ts' },
    output: { path: join(root, 'dist/apps', service), filename: '[name].js', clean: true },
    devtool: 'source-map',
    // Readable stack traces and class names (Nest uses them for injection tokens and logs).
    optimization: { minimize: false },
    resolve: { extensions: ['.ts', '.js'], alias: aliases() },
    externalsPresets: { node: true },
    externals: [
      ({ request }, callback) =>
        /^[a-z@][^:]*$/i.test(request ?? '') && !request.startsWith('@stepwise/')
          ? callback(null, `commonjs ${request}`)
          : callback(),
    ],
    module: {
      rules: [
        {
          test: /\.ts$/,
          loader: 'ts-loader',
          // Full compilation (not transpile-only): decorator metadata for type-imported classes needs it.
          options: { configFile: join(projectRoot, 'tsconfig.app.json') },
        },
      ],
    },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
