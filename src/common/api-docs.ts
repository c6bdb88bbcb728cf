// The parts of the OpenAPI document that every route shares: the one error body, file answers, and
// the error responses each operation can give (added to the document in one place, below).
import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiProperty, ApiPropertyOptional, type OpenAPIObject } from '@nestjs/swagger';

export class FieldErrorBody {
  @ApiProperty({ description: 'The request field, e.g. `name` or `rules.caps`.' }) field: string;
  @ApiProperty({ description: 'Machine-readable reason, e.g. `max_length`.' }) code: string;
  @ApiProperty({ description: 'Human message in the request language (Chinese by default).' }) message: string;
}

/** The one error body (src/common/http-exception.filter.ts): every 4xx and 5xx answer has this shape. */
export class ErrorBody {
  @ApiProperty({ description: 'The HTTP status, repeated.' }) statusCode: number;
  @ApiProperty({ description: 'Stable machine-readable code, e.g. `validation_failed`, `not_found`, `wrong_phase`.' }) code: string;
  @ApiProperty({ description: 'Human message: Chinese, or English on `Accept-Language: en`.' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorBody], description: 'Field-level problems (validation).' }) errors?: FieldErrorBody[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Extra machine-readable detail, e.g. the blockers of a phase change or retryAfterSeconds.' })
  details?: Record<string, unknown>;
  @ApiProperty({ description: 'The request id (also in the X-Request-Id header).' }) requestId: string;
}

/** A route answering a file of this media type (not JSON). */
export function ApiFile(mime: string, description: string) {
  return applyDecorators(ApiProduces(mime), ApiOkResponse({ description, content: { [mime]: { schema: { type: 'string', format: 'binary' } } } }));
}

const ERROR_TEXT: Record<string, string> = {
  '400': 'Invalid request: `validation_failed` (with `errors`), `invalid_id`, `malformed_json`, or a rule of the route',
  '401': '`unauthenticated` or `token_invalid`: missing, invalid or expired token',
  '403': '`forbidden`: the role, or this object, is not allowed',
  '404': '`not_found`: no such object, or one the caller may not see',
  '409': 'Conflicts with the current state: e.g. `wrong_phase`, `version_conflict`, `duplicate` (see `code` and `details`)',
  '413': '`payload_too_large`: the request body is too large',
  '415': '`unsupported_media_type`',
  '422': 'The content cannot be processed (see `code` and `errors`)',
  '429': 'Too many attempts; retry after the Retry-After header',
  '503': '`database_unavailable`: the database cannot be reached; retry after the Retry-After header',
};

const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };

/**
 * Adds the error responses each operation can give, all with the ErrorBody schema:
 *  - 400 when it takes path or query parameters or a body (validation, invalid ids, bad JSON);
 *  - 401 and 403 when it needs a login (the role guard, then the per-object checks);
 *  - 404 when it names an object in its path;
 *  - 409 for authenticated writes (every write checks the contest phase or the object's state);
 *  - 503 everywhere (a database outage answers every route alike).
 * Responses a route declares itself (e.g. 422 of an import, 429 of a login) keep their text and
 * get the schema. Deduced from the routes' shape so that no route can be left out.
 */
export function describeErrors(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      const codes = new Set(Object.keys(op.responses).filter((c) => /^[45]/.test(c)));
      const secured = (op.security?.length ?? 0) > 0;
      if (!op.security) op.security = []; // stated: no login needed
      if ((op.parameters?.length ?? 0) > 0 || op.requestBody) codes.add('400');
      if (secured) codes.add('401').add('403');
      if (path.includes('{')) codes.add('404');
      if (secured && method !== 'get') codes.add('409');
      codes.add('503');
      for (const code of [...codes].sort()) {
        const given = op.responses[code] as { description?: string; content?: unknown } | undefined;
        if (given?.content) continue; // a body of its own (e.g. the health report's 503)
        op.responses[code] = {
          description: given?.description || ERROR_TEXT[code] || 'Error',
          content: { 'application/json': { schema: ERROR_REF } },
        };
      }
    }
  }
}
