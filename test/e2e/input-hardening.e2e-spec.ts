import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { createContest } from '../factories/contests.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, type TestApp } from '../support/test-app.js';

/** One raw HTTP exchange, for requests no HTTP client would send; resolves with the status line and the body. */
function rawRequest(port: number, text: string): Promise<{ statusLine: string; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (out += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = out.split('\r\n\r\n');
      const [statusLine, ...headers] = head.split('\r\n');
      resolve({ statusLine, headers: headers.join('\n').toLowerCase(), body: rest.join('\r\n\r\n') });
    });
  });
}

describe('input hardening', () => {
  let t: TestApp;
  let organizer: string;
  let contestId: number;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await login(t, ADMIN.username, ADMIN.password);
    organizer = (await createUser(t, admin, { username: 'hardening-organizer', role: 'organizer', password: 'Qc-评审-2026-北辰!' })).token;
    contestId = (await createContest(t, organizer)).id;
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('deeply nested JSON', () => {
    const objects = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
    const arrays = '['.repeat(1500) + ']'.repeat(1500);

    it('is 400 json_too_deep on a public route, before any validation, and quickly', async () => {
      for (const body of [objects, arrays]) {
        const started = Date.now();
        const res = await t.http().post('/api/auth/login').set('content-type', 'application/json').send(body);
        expect(res.status).toBe(400);
        expectErrorBody(res.body, 400, 'json_too_deep');
        expect(res.body.message).toBe('请求体 JSON 嵌套层数过多');
        expect(Date.now() - started).toBeLessThan(2000);
      }
      const en = await t.http().post('/api/public/enterprises/register').set('content-type', 'application/json').set('accept-language', 'en').send(arrays);
      expectErrorBody(en.body, 400, 'json_too_deep');
      expect(en.body.message).toBe('The JSON request body is nested too deeply');
    });

    it('is refused on an authenticated route before authentication matters', async () => {
      const res = await t.http().patch(`/api/contests/${contestId}`).set('authorization', `Bearer ${organizer}`).set('content-type', 'application/json').send(objects);
      expectErrorBody(res.body, 400, 'json_too_deep');
    });

    it('accepts nesting up to 32 levels (the rules of a contest are nested objects)', async () => {
      const deepButFine = '{"a":'.repeat(31) + '1' + '}'.repeat(31);
      const res = await t.http().patch(`/api/contests/${contestId}`).set('authorization', `Bearer ${organizer}`).set('content-type', 'application/json').send(`{"rules":${deepButFine}}`);
      // Past the parser: the rules merge names the unknown key.
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('still refuses __proto__ and constructor.prototype, and bad or empty JSON', async () => {
      for (const body of ['{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}', '{"username":', '']) {
        const res = await t.http().post('/api/auth/login').set('content-type', 'application/json').send(body);
        expectErrorBody(res.body, 400, 'malformed_json');
      }
    });
  });

  describe('null for a field that cannot be empty', () => {
    it('PATCH /api/contests/:id {"name": null} is 400 validation_failed naming the field; null still clears the theme', async () => {
      for (const field of ['name', 'year', 'noticeDays', 'rules', 'submissionOpensAt', 'submissionClosesAt', 'noticeEndsAt']) {
        const res = await t.http().patch(`/api/contests/${contestId}`).set('authorization', `Bearer ${organizer}`).send({ [field]: null });
        expect(res.status).toBe(400);
        expectErrorBody(res.body, 400, 'validation_failed');
        expect(res.body.errors).toEqual([expect.objectContaining({ field, code: 'required' })]);
      }
      const cleared = await t.http().patch(`/api/contests/${contestId}`).set('authorization', `Bearer ${organizer}`).send({ theme: null, presentationFrom: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.theme).toBeNull();
      expect(cleared.body.presentationFrom).toBeNull();
    });
  });

  describe('path ids', () => {
    it.each(['0x10', '1e3', '%201', '1%20', '-1', '0', '01', '1.5', 'abc', '99999999999999999999', '9007199254740993'])(
      '%s is 400 invalid_id naming the parameter',
      async (odd) => {
        const res = await t.http().get(`/api/contests/${odd}`).set('authorization', `Bearer ${organizer}`);
        expect(res.status).toBe(400);
        expectErrorBody(res.body, 400, 'invalid_id');
        expect(res.body.errors).toEqual([{ field: 'id', code: 'invalid_id', message: '必须是正整数编号' }]);
      },
    );

    it('names the parameter in routes with two ids and in params objects', async () => {
      const two = await t.http().get(`/api/contests/${contestId}/units/0x1/certificate.pdf`).set('authorization', `Bearer ${organizer}`);
      expectErrorBody(two.body, 400, 'invalid_id');
      expect(two.body.errors[0].field).toBe('unitId');
      const rubric = await t.http().put(`/api/contests/1e0/rubrics/problem_solving/material`).set('authorization', `Bearer ${organizer}`).send({ items: [] });
      expectErrorBody(rubric.body, 400, 'invalid_id');
      expect(rubric.body.errors[0].field).toBe('id');
    });

    it('a well-formed id is still read as a number (and a missing object is 404)', async () => {
      expect((await t.http().get(`/api/contests/${contestId}`).set('authorization', `Bearer ${organizer}`)).status).toBe(200);
      const missing = await t.http().get('/api/contests/9007199254740991').set('authorization', `Bearer ${organizer}`);
      expectErrorBody(missing.body, 404, 'not_found');
    });
  });

  describe('errors answered outside Nest', () => {
    it('a malformed %-escape is 400 bad_url with the one body and the request id', async () => {
      const res = await rawRequest(port, 'GET /api/% HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nX-Request-Id: bad-url-1\r\nConnection: close\r\n\r\n');
      expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(res.headers).toContain('x-request-id: bad-url-1');
      expect(JSON.parse(res.body)).toEqual({ statusCode: 400, code: 'bad_url', message: 'The request URL is malformed', requestId: 'bad-url-1' });
    });

    it('an over-long path parameter is 414 uri_too_long', async () => {
      const res = await rawRequest(port, `GET /api/contests/${'1'.repeat(200)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(res.statusLine).toBe('HTTP/1.1 414 URI Too Long');
      expectErrorBody(JSON.parse(res.body), 414, 'uri_too_long');
    });

    it('headers over 16 KB are 431 header_too_large, and the server keeps serving', async () => {
      const res = await rawRequest(port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
      expect(res.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      const body = JSON.parse(res.body);
      expectErrorBody(body, 431, 'header_too_large');
      expect(body.message).toBe('请求头过大');
      expect(res.headers).toContain(`x-request-id: ${body.requestId}`);
      expect((await t.http().get('/api/health')).status).toBe(200);
    });

    it('a broken Content-Length or request line is 400 bad_request', async () => {
      for (const text of [
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}',
        'FOO /api/auth/login HTTP/1.1\r\nHost: x\r\n\r\n',
      ]) {
        const res = await rawRequest(port, text);
        expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
        expectErrorBody(JSON.parse(res.body), 400, 'bad_request');
      }
    });

    it('an unsupported media type and a body over the limit keep the one body', async () => {
      const xml = await t.http().post('/api/auth/login').set('content-type', 'application/xml').send('<a/>');
      expectErrorBody(xml.body, 415, 'unsupported_media_type');
      const big = await t.http().post('/api/auth/login').set('content-type', 'application/json').send(`{"username":"${'x'.repeat(t.config.bodyLimitBytes)}"}`);
      expectErrorBody(big.body, 413, 'payload_too_large');
    });
  });
});
