// API keys: random 256-bit secrets shown once, stored as SHA-256 (a fast hash is enough for
// secrets of that entropy; no password stretching needed). Verified keys are cached briefly so
// a request costs no database read; revocation takes effect within the cache TTL. Unknown keys
// are cached briefly too, in a cache of their own: both are bounded, and a flood of random keys
// only ever evicts other unknown keys, never a valid one.
import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ApiKey, Prisma } from '../generated/prisma/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BoundedLru } from '../common/bounded-lru.js';
import { NotFoundError } from '../common/domain-errors.js';
import { Keyset, type Page, type PageQuery } from '../common/pagination.js';
import { actorOfRequest, EventsService } from '../events/events.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';
import type { ApiRoleName } from './roles.js';

const API_KEY_PAGES = new Keyset('api-keys', 'createdAt');

const CACHE_TTL_MS = 5_000;
/** Valid keys are few; this bounds memory, not the number of keys that work. */
const VALID_CACHE_ENTRIES = 10_000;
const UNKNOWN_CACHE_ENTRIES = 10_000;
const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
const newSecret = () => `vf_${randomBytes(32).toString('base64url')}`;

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');
  /** By secret hash. A stale entry still says "this secret was a valid key here" (see `recall`). */
  private readonly valid = new BoundedLru<string, { key: ApiKey; at: number }>(VALID_CACHE_ENTRIES);
  /** By secret hash: when the secret was last found unknown or revoked. */
  private readonly unknown = new BoundedLru<string, number>(UNKNOWN_CACHE_ENTRIES);

  constructor(
    private readonly prisma: PrismaService,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A fresh install gets one admin key: the configured one, or a new one printed once. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.apiKeysRequired) {
      this.logger.warn({ msg: 'API keys are NOT required (API_KEYS_REQUIRED=false): every caller acts as admin' });
      return;
    }
    try {
      if ((await this.prisma.apiKey.count({ where: { role: 'admin', revokedAt: null } })) > 0) return;
      const secret = this.config.bootstrapAdminKey ?? newSecret();
      await this.store('bootstrap-admin', 'admin', secret, 'system');
      if (!this.config.bootstrapAdminKey) {
        process.stdout.write(`\nBootstrap admin API key (shown once; send it as "Authorization: Bearer <key>"):\n  ${secret}\n\n`);
      }
    } catch (error) {
      this.logger.error({ msg: 'could not create the bootstrap admin key', error: String(error) });
    }
  }

  async create(name: string, role: ApiRoleName): Promise<CreatedApiKeyDto> {
    const secret = newSecret();
    const key = await this.store(name, role, secret, actorOfRequest());
    return { ...toDto(key), key: secret };
  }

  /** Oldest first. */
  async list(q: PageQuery): Promise<Page<ApiKeyDto>> {
    const rows = await this.prisma.apiKey.findMany(API_KEY_PAGES.args<Prisma.ApiKeyWhereInput>(q, 'asc'));
    return API_KEY_PAGES.page(rows, q, 'asc', toDto);
  }

  async revoke(id: string): Promise<void> {
    await this.prisma
      .$transaction(async (tx) => {
        const key = await tx.apiKey.findUnique({ where: { id } });
        if (!key) throw new NotFoundError(`API key ${id} does not exist`);
        await tx.apiKey.update({ where: { id }, data: { revokedAt: key.revokedAt ?? new Date() } });
        await this.events.record(tx, { kind: 'audit', message: `API key ${key.name} revoked`, data: { keyId: id } });
        return key;
      })
      .then((key) => this.valid.delete(key.secretHash));
  }

  /**
   * What this process knows about `secret` without asking PostgreSQL: a verdict younger than the
   * cache TTL, or else whether the secret was a valid key when last looked up here.
   */
  recall(secret: string): KeyRecall {
    const hash = hashOf(secret);
    const now = Date.now();
    const valid = this.valid.get(hash);
    if (valid && now - valid.at < CACHE_TTL_MS) return { verdict: 'valid', key: valid.key };
    const unknownAt = this.unknown.get(hash);
    if (unknownAt !== undefined && now - unknownAt < CACHE_TTL_MS) return { verdict: 'invalid' };
    return { verdict: 'ask', seenValid: valid !== undefined };
  }

  /** The active key for `secret`, or null. */
  async verify(secret: string): Promise<ApiKey | null> {
    const known = this.recall(secret);
    if (known.verdict === 'valid') return known.key;
    if (known.verdict === 'invalid') return null;
    const hash = hashOf(secret);
    const key = await this.prisma.apiKey.findUnique({ where: { secretHash: hash } });
    const active = key && !key.revokedAt ? key : null;
    if (active) {
      this.valid.set(hash, { key: active, at: Date.now() });
      this.unknown.delete(hash);
    } else {
      this.valid.delete(hash);
      this.unknown.set(hash, Date.now());
    }
    if (active && (!active.lastUsedAt || Date.now() - active.lastUsedAt.getTime() > 60_000)) {
      void this.prisma.apiKey.update({ where: { id: active.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
    }
    return active;
  }

  private async store(name: string, role: ApiRoleName, secret: string, createdBy: string): Promise<ApiKey> {
    return this.prisma.$transaction(async (tx) => {
      const key = await tx.apiKey.create({ data: { name, role, secretHash: hashOf(secret), prefix: secret.slice(0, 10), createdBy } });
      await this.events.record(tx, { kind: 'audit', message: `API key ${name} (${role}) created`, data: { keyId: key.id, role } });
      return key;
    });
  }
}

export type KeyRecall =
  | { verdict: 'valid'; key: ApiKey }
  | { verdict: 'invalid' }
  /** PostgreSQL must be asked; `seenValid`: the secret was a valid key at its last look-up here. */
  | { verdict: 'ask'; seenValid: boolean };

function toDto(k: ApiKey): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    createdBy: k.createdBy,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}
