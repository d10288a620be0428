import { IsIn, Matches } from 'class-validator';
import { NAME_PATTERN } from '../../hosts/dto/host.dto.js';
import { ROLES, type ApiRoleName } from '../roles.js';

export class CreateApiKeyDto {
  /** Unique name, e.g. who or what uses it. @example "ci-deployer" */
  @Matches(NAME_PATTERN, { message: 'name must be 1-63 lower-case letters, digits or dashes' })
  name!: string;

  /** admin (everything), operator (lifecycle and consolidation), viewer (read only) or scraper (GET /metrics only, for Prometheus). */
  @IsIn(ROLES)
  role!: ApiRoleName;
}

export class ApiKeyDto {
  id!: string;
  name!: string;
  role!: string;
  /** The key's first characters, to recognise it. */
  prefix!: string;
  createdBy!: string;
  createdAt!: Date;
  lastUsedAt!: Date | null;
  revokedAt!: Date | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The secret: shown once, never again. */
  key!: string;
}

export class ApiKeyPageDto {
  items!: ApiKeyDto[];
  /** Cursor of the next page; null on the last one. */
  nextCursor!: string | null;
}
