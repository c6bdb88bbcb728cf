// Jest's CommonJS loader cannot require() an ES module, and @fastify/static 10 requires the
// ESM-only content-disposition 3 (Node 20 itself can). Under Jest only, this maps it to v1's API.
const v1 = require('content-disposition-v1');
module.exports = { create: v1, parse: v1.parse, default: v1 };
