import { DeferMode, type MikroORM } from '@mikro-orm/core';
import { SqlSchemaGenerator, type DatabaseSchema, type SqlEntityManager } from '@mikro-orm/postgresql';
import { referenceConstraintName, TENANT_REFERENCES } from './tenant-references.ts';

/**
 * MikroORM derives foreign keys from relation properties; Nyx's entities hold plain uuid columns,
 * and a key on `(tenant_id, x_id)` would need a composite relation on every entity. So the keys are
 * declared once (tenant-references.ts) and added here to the ORM's target schema. Everything that
 * compares the ORM with a database (the drift test, `migration:create`) then knows them, and a
 * migration that forgets or changes one shows up as a difference.
 */
export class NyxSchemaGenerator extends SqlSchemaGenerator {
  static override register(orm: MikroORM): void {
    orm.config.registerExtension('@mikro-orm/schema-generator', () => new NyxSchemaGenerator(orm.em as SqlEntityManager));
  }

  override getTargetSchema(schema?: string, includeWildcardSchema?: boolean): DatabaseSchema {
    const target = super.getTargetSchema(schema, includeWildcardSchema);
    const schemaName = schema ?? this.config.get('schema') ?? this.platform.getDefaultSchemaName();
    const qualified = (table: string) => (schemaName ? `${schemaName}.${table}` : table);
    for (const reference of TENANT_REFERENCES) {
      const table = target.getTable(reference.table);
      if (!table) throw new Error(`tenant reference ${reference.table}.${reference.column}: no entity maps table ${reference.table}`);
      const constraintName = referenceConstraintName(reference);
      table.getForeignKeys()[constraintName] = {
        constraintName,
        columnNames: ['tenant_id', reference.column],
        localTableName: table.getShortestName(false),
        referencedTableName: qualified(reference.references),
        referencedColumnNames: ['tenant_id', 'id'],
        // `set null (col)`: only the reference is cleared; tenant_id (not null) stays.
        deleteRule: reference.onDelete === 'cascade' ? 'cascade' : `set null (${reference.column})`,
        // Checked at commit: the entities declare no relations, so the ORM does not order a
        // flush's inserts parent-first (a workflow and its first version go out in any order).
        deferMode: DeferMode.INITIALLY_DEFERRED,
      };
    }
    return target;
  }
}
