// Optimistic concurrency over HTTP: each versioned row has an ETag W/"<version>"; an update
// carrying If-Match must name the current version or it is refused with 412.
import { PreconditionFailedError } from './domain-errors.js';

export const etagOf = (version: number): string => `W/"${version}"`;

/** The version an If-Match header names, undefined when there is none. */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch === '*') return undefined;
  const m = /^(?:W\/)?"(\d+)"$/.exec(ifMatch.trim());
  if (!m) throw new PreconditionFailedError(`If-Match must be an ETag such as W/"3", got ${JSON.stringify(ifMatch)}`);
  return Number(m[1]);
}

export function checkVersion(current: number, expected: number | undefined, what: string): void {
  if (expected !== undefined && expected !== current) {
    throw new PreconditionFailedError(`${what} has changed (version ${current}, If-Match names ${expected}); re-read and retry`, {
      currentVersion: current,
    });
  }
}
