// Checks every request passes before routing, validation or any handler sees it: the JSON body's
// shape (on the raw bytes, before parsing) and text PostgreSQL cannot store, in the body, the
// query and the path. Each refusal is a 400 problem, the same for every route.
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from './domain-errors.js';
import { jsonShapeViolation, REQUEST_JSON_LIMITS } from './json-shape.js';
import { findUnstorableText } from './storable-text.js';

/** body-parser's `verify` hook: runs on the raw body before JSON.parse; a throw aborts parsing. */
export function verifyJsonShape(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  const violation = jsonShapeViolation(body, REQUEST_JSON_LIMITS);
  if (violation) throw new ValidationError(`The request body is refused: ${violation}.`);
}

/** Express middleware, after the body parser: no NUL or lone surrogate anywhere in the input. */
export function refuseUnstorableInput(req: Request, _res: Response, next: NextFunction): void {
  next(unstorableInputError(req));
}

function unstorableInputError(req: Request): ValidationError | undefined {
  for (const segment of req.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return new ValidationError('The request path has a malformed percent-encoding.');
    }
    const found = findUnstorableText(decoded);
    if (found) return new ValidationError(`The request path ${found.reason}.`);
  }
  for (const [source, value] of [['query', req.query], ['body', req.body]] as const) {
    const found = findUnstorableText(value);
    if (found) return new ValidationError(`The ${source} ${found.at ? `field ${found.at}` : 'value'} ${found.reason}.`, { field: found.at || null, in: source });
  }
  return undefined;
}
