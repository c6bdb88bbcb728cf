// The @nestjs/swagger CLI plugin (as nest-cli.json runs it at build) as a ts-jest AST transformer,
// so that /api/docs-json of a test app documents every DTO field as the built service does.
const { before } = require('@nestjs/swagger/plugin');
const nestCli = require('../../nest-cli.json');

const options = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger').options;
module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (compiler) => before(options, compiler.program),
};
