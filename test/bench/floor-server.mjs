// The floor of the auth benchmark (see auth.bench.mjs): the least a Nest + fastify service can do
// for a GET — NestFactory with the FastifyAdapter, one controller, one route answering a small JSON
// body shaped like GET /api/auth/me's. No guards, pipes, filters, logger, helmet or database: what
// an authenticated request costs above this is the service's own choice.
//
// Env: PORT. Prints "listening <port>". Plain JS (no decorator syntax): the decorators are applied by hand.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const BODY = { id: 1, username: 'bench-admin', displayName: '系统管理员', role: 'admin', active: true, unitId: null, enterpriseId: null, expertId: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };

class FloorController {
  me() {
    return BODY;
  }
}
Get('me')(FloorController.prototype, 'me', Object.getOwnPropertyDescriptor(FloorController.prototype, 'me'));
Controller('floor')(FloorController);

class FloorModule {}
Module({ controllers: [FloorController] })(FloorModule);

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
app.setGlobalPrefix('api');
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
const stop = () => app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
