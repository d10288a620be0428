// Checks every request passes before routing: the JSON body's shape, on the raw bytes before it
// is parsed (a 400 problem), and requests Node itself cannot parse (answered as problems too).
// Text PostgreSQL cannot store is refused later, by StorableTextPipe.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ValidationError } from './domain-errors.js';
import { jsonShapeViolation, REQUEST_JSON_LIMITS } from './json-shape.js';

/** body-parser's `verify` hook: runs on the raw body before JSON.parse; a throw aborts parsing. */
export function verifyJsonShape(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  const violation = jsonShapeViolation(body, REQUEST_JSON_LIMITS);
  if (violation) throw new ValidationError(`The request body is refused: ${violation}.`);
}

/** Node's own answers to requests it cannot parse, which never reach Express. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request header fields too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request timeout'],
};

/**
 * The HTTP server's 'clientError' handler: a request Node cannot parse (a URL or headers over
 * its 16 KiB limit, malformed framing) gets a problem+json answer like any other refusal, instead
 * of Node's bare status line. Node's behaviour is kept otherwise: answer only when no response
 * is under way on the socket, then close it.
 */
export function writeClientErrorProblem(error: Error & { code?: string }, socket: Duplex): void {
  // As Node does: answer unless a response on this (kept-alive) socket has already begun.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, title] = CLIENT_ERROR_STATUS[error.code ?? ''] ?? [400, 'Bad request'];
  const body = JSON.stringify({ type: 'about:blank', title, status, detail: `The request could not be read: ${title.toLowerCase()}.` });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
