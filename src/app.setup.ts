import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { createValidationPipe } from './common/validation.js';
import { AppError, type ErrorCode } from './common/errors.js';
import { errorBody, requestLanguage } from './common/http-exception.filter.js';
import { jsonTooDeep } from './common/json-depth.js';
import type { AppConfig } from './config/app-config.js';
import { Clock, clockBanner } from './common/clock.js';
import { describeErrors, ErrorBody } from './common/api-docs.js';
import { AppLogger, createRootLogger, logRequests } from './common/app-logger.js';
import { applyHeaders, helmetHeaders } from './common/security-headers.js';

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
 * The router's own errors (a malformed %-escape in the URL, an over-long path parameter) are
 * answered before any hook or Nest filter runs: they get the one error body here.
 */
function frameworkError(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const [status, code]: [number, ErrorCode] =
    error.code === 'FST_ERR_BAD_URL' ? [400, 'bad_url'] : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? [414, 'uri_too_long'] : [500, 'internal_error'];
  void reply.code(status).header('x-request-id', req.id).send(errorBody(status, code, requestLanguage(req), req.id));
}

/**
 * Requests Node's HTTP parser refuses before fastify sees them (headers over 16 KB: 431, a broken
 * request line or Content-Length: 400, a stalled request: 408) get the one error body too, in
 * Chinese (the headers were not parsed, so Accept-Language is unknown), with a fresh request id.
 */
function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code]: [number, ErrorCode] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'header_too_large'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout'] : [400, 'bad_request'];
  const id = randomUUID();
  const body = JSON.stringify(errorBody(status, code, 'zh', id));
  // As Node itself does: no answer while an earlier response on this keep-alive socket is being written.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
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
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    // Fastify's default (10 s) fails a start on a machine busy with other instances starting at once.
    pluginTimeout: 60_000,
  });
  const root = createRootLogger(config.logLevel, opts.logStream);
  const logger = new AppLogger(root);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { logger, abortOnError: false });
  logRequests(app.getHttpAdapter().getInstance(), root);
  const banner = clockBanner(config.clock);
  if (banner) logger.warn(banner);
  await configureApp(app, config);
  return app;
}

export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  // JSON bodies: nesting depth checked in one pass before parsing (JSON.parse, class-transformer and
  // class-validator recurse, so 3,000 levels were a 500 and a CPU sink), then fastify's own parser
  // (secure-json-parse: __proto__ and constructor.prototype refused).
  const defaultJsonParser = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: config.bodyLimitBytes }, (req, body, done) => {
    const text = body.toString('utf8');
    if (jsonTooDeep(text)) return done(AppError.badRequest('json_too_deep'), undefined);
    void defaultJsonParser(req, text, done); // reports through done (its type also allows a promise, which it never returns)
  });
  app.enableShutdownHooks();
  // helmet's headers, computed once (see security-headers.ts), set on every answer before its route runs.
  const securityHeaders = helmetHeaders({
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
  app.getHttpAdapter().getInstance().addHook('onRequest', (_req, reply, done) => {
    applyHeaders(reply.raw, securityHeaders);
    done();
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
  // One synchronous hook for the headers every answer carries (three async hooks were three promises
  // per request): the request id; the service's own time (it may run on a set clock: the web interface
  // reads "now" from it); and for the OpenAPI UI (/api/docs and its assets) alone, inline styles on
  // top of the strict policy helmet set for everything else.
  const clock = app.get(Clock);
  fastify.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    reply.header('x-server-time', clock.now().toISOString());
    if (DOCS_PATH.test(req.url)) {
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string') reply.header('content-security-policy', relaxedForDocs(csp));
    }
    done(null, payload);
  });

  // The OpenAPI document is built when first asked for (≈ 200 ms of CPU at every start otherwise:
  // each e2e app, the demo, every instance); test/e2e/api-contract reads and checks it.
  const buildDocument = () => {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('质量攻关成果评审系统 API')
        .setDescription('Judging system for quality-improvement achievement competitions. Errors: { statusCode, code, message, errors?, requestId }. While the database cannot be reached, any route answers 503 database_unavailable with Retry-After.')
        .setVersion('0.1.0')
        .addBearerAuth()
        .addServer('/', 'This service (paths start with /api)')
        .build(),
      { extraModels: [ErrorBody] },
    );
    describeErrors(document);
    return document;
  };
  SwaggerModule.setup('api/docs', app, buildDocument, { jsonDocumentUrl: 'api/docs-json' });
}
