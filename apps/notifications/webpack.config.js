// Bundles the notifications service into dist/apps/notifications/main.js (see tools/workspace/webpack.service.cjs).
module.exports = require('../../tools/workspace/webpack.service.cjs')('notifications');
