// Per-request context (request id) carried through async calls, so every log line and every
// problem+json body can name the request it belongs to.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Who is calling: set by the auth guard once the API key is known. */
export interface Caller {
  keyId: string | null;
  name: string;
  role: 'admin' | 'operator' | 'viewer' | 'scraper';
}

export interface RequestContext {
  requestId: string;
  caller?: Caller;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** This request's context object: the caller is filled in on it later, by the auth guard. */
export function currentRequestContext(): Readonly<RequestContext> | undefined {
  return storage.getStore();
}

export function currentCaller(): Caller | undefined {
  return storage.getStore()?.caller;
}

export function setCurrentCaller(caller: Caller): void {
  const store = storage.getStore();
  if (store) store.caller = caller;
}

/** Runs `fn` outside any request: for work a request merely starts, whose logs are not its. */
export function outsideRequest<T>(fn: () => T): T {
  return storage.exit(fn);
}

const acceptableId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Express middleware: adopt a sane incoming X-Request-Id or mint one, echo it back. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const requestId = incoming && acceptableId.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  storage.run({ requestId }, next);
}
