// A global pipe, before validation: no body, query or path parameter a route reads may carry text
// PostgreSQL cannot store (see storable-text.ts). A pipe and not a middleware, so the refusal is
// a request like any other: the audit interceptor, which runs before pipes, records it.
import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from './domain-errors.js';
import { findUnstorableText } from './storable-text.js';

@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = findUnstorableText(value);
    if (found) {
      const field = found.at || metadata.data || null;
      throw new ValidationError(`The ${metadata.type} ${field ? `field ${field}` : 'value'} ${found.reason}.`, {
        field,
        in: metadata.type,
      });
    }
    return value;
  }
}
