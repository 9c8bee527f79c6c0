// Bundles the sessions service into dist/apps/sessions/main.js (see tools/workspace/webpack.service.cjs).
module.exports = require('../../tools/workspace/webpack.service.cjs')('sessions');
