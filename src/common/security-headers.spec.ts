import { describe, expect, it } from '@jest/globals';
import fastifyHelmet from '@fastify/helmet';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { applyHeaders, helmetHeaders } from './security-headers.js';

const OPTIONS = {
  contentSecurityPolicy: {
    directives: { defaultSrc: ["'self'"], styleSrc: ["'self'"], scriptSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], workerSrc: ["'self'"], upgradeInsecureRequests: null },
  },
};

describe('security headers computed once', () => {
  it('are exactly the headers @fastify/helmet sets on an answer with the same options', async () => {
    const plugin = new FastifyAdapter().getInstance();
    await plugin.register(fastifyHelmet, OPTIONS);
    plugin.get('/', (_req, reply) => reply.send('x'));
    const once = new FastifyAdapter().getInstance();
    const headers = helmetHeaders(OPTIONS);
    once.addHook('onRequest', (_req, reply, done) => {
      applyHeaders(reply.raw, headers);
      done();
    });
    once.get('/', (_req, reply) => reply.send('x'));
    // Real requests (fastify's inject needs an ES module Jest cannot load here).
    const get = async (app: typeof plugin) => {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const headers: Record<string, string> = Object.fromEntries((await fetch(address)).headers);
      delete headers.date;
      delete headers['keep-alive'];
      return headers;
    };
    const [a, b] = [await get(plugin), await get(once)];
    expect(b).toEqual(a);
    expect(a['content-security-policy']).toContain("script-src 'self'");
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['strict-transport-security', 'x-frame-options', 'x-content-type-options', 'referrer-policy']));
    await Promise.all([plugin.close(), once.close()]);
  });
});
