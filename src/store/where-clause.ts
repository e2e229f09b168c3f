/**
 * Builds a SQL WHERE clause from optional filters: each `[clause, value]` pair whose value is
 * defined adds its clause, joined with AND, and its value as a bound parameter.
 */
export function whereClause(filters: readonly (readonly [clause: string, value: unknown])[]): {
  sql: string;
  values: unknown[];
} {
  const used = filters.filter(([, value]) => value !== undefined);
  const sql = used.length > 0 ? `WHERE ${used.map(([clause]) => clause).join(' AND ')}` : '';
  return { sql, values: used.map(([, value]) => value) };
}
