import type { Database } from '@hisaabo/db';

export interface TransactionSettings {
  isolation: string;
  readOnly: string;
}

const SETTINGS_QUERY = `SELECT current_setting('transaction_isolation') AS isolation,
  current_setting('transaction_read_only') AS "readOnly"`;

/**
 * The same database, but each backup transaction is asked, on its own connection and just before
 * its first statement after `SET TRANSACTION`, which isolation level and access mode it really
 * runs with. Works on PGlite (where a second connection cannot see another's transaction) and on
 * PostgreSQL alike.
 */
/** A property of `target`, its methods bound to it (proxies must not become their `this`). */
function passThrough(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

export function observeTransactions(database: Database): { database: Database; seen: TransactionSettings[] } {
  const seen: TransactionSettings[] = [];
  type Query = (text: unknown, ...rest: unknown[]) => unknown;
  const observing = (query: Query): Query => {
    let observed = false;
    return (text, ...rest) => {
      // COPY streams are returned as they are (not wrapped in a promise).
      if (typeof text !== 'string' || observed || /^\s*(BEGIN|SET TRANSACTION)/i.test(text)) {
        return query(text, ...rest);
      }
      observed = true;
      return (async () => {
        const settings = (await query(SETTINGS_QUERY)) as { rows: TransactionSettings[] };
        seen.push(settings.rows[0]!);
        return query(text, ...rest);
      })();
    };
  };
  const driver = database.driver;
  if (driver.kind === 'pglite') {
    const client = new Proxy(driver.client, {
      get(target, property) {
        if (property !== 'transaction') return passThrough(target, property);
        return (work: (tx: object) => Promise<unknown>) =>
          target.transaction((tx) => {
            const query = observing(tx.query.bind(tx) as Query);
            return work(new Proxy(tx, { get: (t, p) => (p === 'query' ? query : passThrough(t, p)) }));
          });
      },
    });
    return { database: { ...database, driver: { kind: 'pglite', client } }, seen };
  }
  const pool = new Proxy(driver.pool, {
    get(target, property) {
      if (property !== 'connect') return passThrough(target, property);
      return async () => {
        const connection = await target.connect();
        const query = observing(connection.query.bind(connection) as Query);
        return new Proxy(connection, {
          get: (c, p) => (p === 'query' ? query : passThrough(c, p)),
        });
      };
    },
  });
  return { database: { ...database, driver: { kind: 'postgres', pool } }, seen };
}
