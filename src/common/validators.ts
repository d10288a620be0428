import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Use instead of class-validator's IsOptional, which skips validation for null as well as for a
 * missing field: `{"cpuRatio": null}` then passed every check and failed in the database (a 500).
 * No request field here takes null, so only absence skips the field's other validators; null is
 * validated like any value, and refused.
 */
export function IsOptional(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$/;

/** A flat string→string map with sane keys: labels, selectors. */
export function IsLabelMap(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isLabelMap',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be an object of at most 64 string values (keys: letters, digits, . _ / -; values up to 255 characters)`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= 64 &&
            entries.every(([k, v]) => LABEL_KEY.test(k) && typeof v === 'string' && v.length <= 255 && !/[\u0000-\u001f]/.test(v))
          );
        },
      },
    });
}

/** PostgreSQL's bigint range: a larger id fails in the query itself, so it is refused here. */
const INT8_MAX = 9_223_372_036_854_775_807n;

/**
 * A decimal string naming a non-negative PostgreSQL bigint (0 – 9223372036854775807), for ids
 * that exceed JavaScript's safe integers and so travel as strings.
 */
export function IsBigintIdString(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBigintIdString',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a decimal integer from 0 to ${INT8_MAX}`, ...options },
      validator: {
        validate(value: unknown): boolean {
          return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= INT8_MAX;
        },
      },
    });
}
