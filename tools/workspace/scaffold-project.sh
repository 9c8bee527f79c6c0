#!/usr/bin/env bash
# Writes the common project files (project.json, tsconfigs, jest configs) for a lib or app.
# Usage: tools/workspace/scaffold-project.sh <root> <name> <lib|app> <tags,comma,separated>
set -euo pipefail
root=$1 name=$2 kind=$3 tags=$4
mkdir -p "$root/src"
depth=$(echo "$root" | awk -F/ '{print NF}')
up=$(printf '../%.0s' $(seq 1 "$depth"))
tagsjson=$(echo "$tags" | awk -F, '{for(i=1;i<=NF;i++){printf "%s\"%s\"", (i>1?", ":""), $i}}')
projectType=library; [ "$kind" = app ] && projectType=application

cat > "$root/tsconfig.json" <<JSON
{
  "extends": "${up}tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts"]
}
JSON
cp "$root/tsconfig.json" "$root/tsconfig.spec.json"

cat > "$root/jest.config.cjs" <<JS
// Unit tests: fast, no infrastructure.
module.exports = {
  displayName: '${name}',
  preset: '${up}jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '${up}coverage/${root}',
};
JS
cat > "$root/jest.int.config.cjs" <<JS
// Integration tests: real Postgres, Kafka and Redis from the environment (see tools/infra).
module.exports = {
  displayName: '${name}:integration',
  preset: '${up}jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
  globalSetup: '${up}libs/testing/src/jest/global-setup.cjs',
};
JS

build=''
if [ "$kind" = app ]; then
build='
    "build": {
      "executor": "nx:run-commands",
      "outputs": ["{workspaceRoot}/dist/'"$root"'"],
      "options": { "command": "webpack-cli build --config '"$root"'/webpack.config.js --node-env=production" }
    },'
fi
cat > "$root/project.json" <<JSON
{
  "name": "${name}",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "${root}/src",
  "projectType": "${projectType}",
  "tags": [${tagsjson}],
  "targets": {${build}
    "lint": {
      "executor": "@nx/eslint:lint",
      "options": { "lintFilePatterns": ["{projectRoot}/src"], "maxWarnings": 0 }
    },
    "typecheck": {
      "executor": "nx:run-commands",
      "options": { "command": "tsc -p {projectRoot}/tsconfig.json --noEmit" }
    },
    "test": {
      "executor": "@nx/jest:jest",
      "options": { "jestConfig": "{projectRoot}/jest.config.cjs", "passWithNoTests": false }
    },
    "integration": {
      "executor": "@nx/jest:jest",
      "options": { "jestConfig": "{projectRoot}/jest.int.config.cjs", "runInBand": true, "passWithNoTests": false }
    }
  }
}
JSON
