// Bundles the scheduling service into dist/apps/scheduling/main.js (see tools/workspace/webpack.service.cjs).
module.exports = require('../../tools/workspace/webpack.service.cjs')('scheduling');
