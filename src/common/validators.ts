import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$/;

/** A flat string→string map with sane keys: labels, selectors. */
export function IsLabelMap(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isLabelMap',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be an object of at most 64 string values (keys: letters, digits, . _ / -; values up to 255 characters)`, ...options },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= 64 && entries.every(([k, v]) => LABEL_KEY.test(k) && typeof v === 'string' && v.length <= 255 && !/[\u0000-\u001f]/.test(v));
        },
      },
    });
}

/**
 * Like @IsOptional, but only for an absent field: JSON null is refused ("leave it out") instead
 * of skipping validation and reaching the database as a NULL for a NOT NULL column.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    ValidateIf((_object: unknown, value: unknown) => value !== undefined)(target, propertyName);
    registerDecorator({
      name: 'isOmittable',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must not be null (leave it out instead)`, ...options },
      validator: { validate: (value: unknown) => value !== null },
    });
  };
}
