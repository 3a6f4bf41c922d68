// Prepared statements, made once per SQL text and connection: preparing is a parse and a plan, and the hot
// paths run the same few statements thousands of times a second.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

export function statements(db: DatabaseSync) {
  const cache = new Map<string, StatementSync>();
  const sql = (text: string): StatementSync => {
    let s = cache.get(text);
    if (!s) cache.set(text, (s = db.prepare(text)));
    return s;
  };
  return {
    sql,
    run: (text: string, ...params: SQLInputValue[]) => sql(text).run(...params),
    all: (text: string, ...params: SQLInputValue[]) => sql(text).all(...params),
    get: (text: string, ...params: SQLInputValue[]) => sql(text).get(...params),
  };
}
