// Structured logs: one JSON object per line on stdout, with the request id when there is one.
import type { LoggerService, LogLevel } from '@nestjs/common';
import { currentRequestId } from './request-context.js';

const order: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

export class JsonLogger implements LoggerService {
  private minimum: number;

  constructor(level: LogLevel = 'log') {
    this.minimum = order.indexOf(level);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.minimum = Math.min(...levels.map((l) => order.indexOf(l)));
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (order.indexOf(level) < this.minimum) return;
    // Nest passes the context (class name) as the last string argument; errors pass a stack before it.
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, context };
    const requestId = currentRequestId();
    if (requestId) entry.requestId = requestId;
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    if (rest.length > 0 && typeof rest[0] === 'string' && level === 'error') entry.stack = rest[0];
    process.stdout.write(JSON.stringify(entry) + '\n');
  }
}
