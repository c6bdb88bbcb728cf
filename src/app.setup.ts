import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { Clock, clockBanner } from './common/clock.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** The OpenAPI UI's page and assets (not /api/docs-json, which is data). */
const DOCS_PATH = /^\/api\/docs(?:[/?]|$)/;

/**
 * The site's policy with inline styles allowed, for the OpenAPI UI only (its page carries a <style>
 * block and style attributes). Its scripts are files (swagger-ui-init.js): script-src stays strict.
 */
export function relaxedForDocs(csp: string): string {
  return csp.replace(/(^|;)style-src 'self'(?=;|$)/, "$1style-src 'self' 'unsafe-inline'");
}

/**
 * The web interface (web/: plain ES modules, no build step), found relative to this module so it
 * works from dist/src/app.setup.js (../../web) and from src/app.setup.ts under ts-jest (../web).
 * null when the folder is not shipped (the API runs without it).
 */
function webDir(): string | null {
  for (const rel of ['../../web/', '../web/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir + 'index.html')) return dir;
  }
  return null;
}

/** A client-sent X-Request-Id is kept when it is sane, else a new one is made. */
function requestId(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  const id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
  (req as IncomingMessage & { id: string }).id = id;
  return id;
}

/**
 * Builds the application exactly as it runs: used by main.ts and by the e2e tests.
 * Fastify, not express: on these machines it serves about 1.7× the requests per second
 * (see ../shared/docs/STACK.md), and scoring comes in bursts.
 */
export async function createApp(config: AppConfig, opts: { logStream?: DestinationStream } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestId,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, opts.logStream), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const banner = clockBanner(config.clock);
  if (banner) app.get(Logger).warn(banner);
  await configureApp(app, config);
  return app;
}

export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // No inline scripts or styles: the web interface has none (modules and stylesheets from its own
        // origin, styles through classes). Only the OpenAPI UI needs inline styles: see relaxedForDocs.
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // The web interface (web/) loads only its own modules and styles, calls only /api, and
        // registers its service worker from its own origin.
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        // Not upgrade-insecure-requests: on a plain-http intranet address it would send the page's
        // own scripts to https and break the web interface (TLS belongs to the reverse proxy).
        upgradeInsecureRequests: null,
      },
    },
  });
  // Uploads: one file per request, size from config; handlers read it with request.file().
  await app.register(multipart, {
    limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 },
  });
  app.enableCors({
    origin: config.corsOrigins.includes('*') ? true : config.corsOrigins.length ? config.corsOrigins : false,
    credentials: false,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  // The web interface at / (one route per shipped file, wildcard: false, so /api keeps its own 404s).
  const web = webDir();
  if (web) {
    await app.register(fastifyStatic, { root: web, prefix: '/', index: ['index.html'], wildcard: false, decorateReply: false });
  }
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // The OpenAPI UI (/api/docs and its assets) uses inline styles: it alone gets them, on top of the
  // strict policy helmet set for everything else.
  fastify.addHook('onSend', async (req, reply) => {
    if (!DOCS_PATH.test(req.url)) return;
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string') reply.header('content-security-policy', relaxedForDocs(csp));
  });
  // The service's own time (it may run on a set clock): the web interface reads "now" from it.
  const clock = app.get(Clock);
  fastify.addHook('onSend', async (_req, reply) => {
    reply.header('x-server-time', clock.now().toISOString());
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('质量攻关成果评审系统 API')
      .setDescription('Judging system for quality-improvement achievement competitions. Errors: { statusCode, code, message, errors?, requestId }. While the database cannot be reached, any route answers 503 database_unavailable with Retry-After.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
