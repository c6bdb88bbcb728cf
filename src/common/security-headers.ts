// The security headers of every answer (helmet's), computed ONCE at start: @fastify/helmet builds
// helmet's whole middleware chain again on every request (its CSP directives parsed each time), in
// two async hooks, about 4 % of a score submit's CPU plus the garbage; with static options (no nonces,
// no directive functions) helmet's headers depend on nothing in the request.
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

type HelmetOptions = Omit<FastifyHelmetOptions, 'enableCSPNonces' | 'global'>;
type Helmet = (options: HelmetOptions) => (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** helmet as @fastify/helmet itself loads it (its dependency, the same version and defaults). */
function loadHelmet(): Helmet {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('@fastify/helmet'))('helmet') as Helmet;
}

/** What helmet sets (and removes) on a response for these options: header name → value, null to remove. */
export function helmetHeaders(options: HelmetOptions): ReadonlyMap<string, string | null> {
  const headers = new Map<string, string | null>();
  const res = {
    setHeader: (name: string, value: unknown) => void headers.set(name, String(value)),
    removeHeader: (name: string) => void headers.set(name, null),
  };
  let failure: unknown;
  loadHelmet()(options)({} as IncomingMessage, res as unknown as ServerResponse, (err) => (failure = err));
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}

/** Puts the headers on the raw response as helmet did (a hijacked event stream writes them with its own). */
export function applyHeaders(res: ServerResponse, headers: ReadonlyMap<string, string | null>): void {
  for (const [name, value] of headers) {
    if (value === null) res.removeHeader(name);
    else res.setHeader(name, value);
  }
}
