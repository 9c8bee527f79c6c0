// Bundles the intake service into dist/apps/intake/main.js (see tools/workspace/webpack.service.cjs).
module.exports = require('../../tools/workspace/webpack.service.cjs')('intake');
