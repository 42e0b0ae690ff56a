import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { NyxSchemaGenerator } from './schema-generator.ts';
import { entities } from './entities.ts';
import { migrationsList } from '../../../migrations/index.ts';
import { NyxPostgreSqlDriver } from './tenant-driver.ts';

export type Orm = MikroORM;

export interface OrmOptions {
  url: string;
  poolSize: number;
  debug?: boolean;
}

export async function createOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init({
    driver: NyxPostgreSqlDriver,
    clientUrl: options.url,
    entities,
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
