import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Options } from '@mikro-orm/core';
import { migrationsList } from '../../../migrations/index.ts';
import { NyxSchemaGenerator } from './schema-generator.ts';
import { NyxPostgreSqlDriver } from './tenant-driver.ts';

export type Orm = MikroORM;

export interface OrmOptions {
  url: string;
  poolSize: number;
  debug?: boolean;
  /** Every entity the ORM knows: the composition root derives them from its features. */
  entities: NonNullable<Options['entities']>;
}

export async function createOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init({
    driver: NyxPostgreSqlDriver,
    clientUrl: options.url,
    entities: options.entities,
    extensions: [Migrator, NyxSchemaGenerator],
    pool: { min: 0, max: options.poolSize },
    debug: options.debug ?? false,
    // The request context is passed explicitly (see tenant-context.ts); a forgotten fork must fail loudly.
    allowGlobalContext: false,
    migrations: {
      migrationsList,
      tableName: 'nyx_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}
