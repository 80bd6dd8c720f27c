import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Entities read by hand-written SQL, for the hot paths where one statement must do what the query
 * builder would need several for (the publish job's claim and outcome). TypeORM's own metadata and
 * driver convert the values, so an entity read here equals one read through a repository.
 */

/** `alias.column AS "alias__column"` for every column of the entity (those marked select: false too). */
export function selectColumns(manager: EntityManager, entity: EntityTarget<ObjectLiteral>, alias: string): string {
  return manager.connection
    .getMetadata(entity)
    .columns.map((c) => `${alias}."${c.databaseName}" AS "${alias}__${c.databaseName}"`)
    .join(', ');
}

/** The entity in `row`, from the columns named `alias__column` (or plain `column` without an alias). */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  row: Record<string, unknown>,
  alias?: string,
): T {
  const metadata = manager.connection.getMetadata(entity);
  const out = metadata.create() as T;
  for (const column of metadata.columns) {
    const key = alias ? `${alias}__${column.databaseName}` : column.databaseName;
    if (key in row) column.setEntityValue(out, manager.connection.driver.prepareHydratedValue(row[key], column));
  }
  return out;
}

/**
 * `"column" = $n, ...` for a partial entity, its values prepared as TypeORM would persist them (JSON
 * serialised, dates normalised), numbered from `firstParam`.
 */
export function setClause<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  patch: Partial<T>,
  firstParam: number,
): { sql: string; params: unknown[] } {
  const metadata = manager.connection.getMetadata(entity);
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [property, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column ${property}`);
    params.push(manager.connection.driver.preparePersistentValue(value, column));
    sets.push(`"${column.databaseName}" = $${firstParam + params.length - 1}`);
  }
  return { sql: sets.join(', '), params };
}
