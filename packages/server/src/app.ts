import { Hono } from 'hono';
import { appliedSchemaVersion, type Database } from '@hisaabo/db';

export interface AppContext {
  database: Database;
}

/** The HTTP application: every route the server answers, on Web-standard Request/Response. */
export function createApp({ database }: AppContext): Hono {
  const app = new Hono();

  app.get('/api/health', async (c) => {
    const schemaVersion = await appliedSchemaVersion(database);
    return c.json({ ok: true, database: database.kind, schemaVersion });
  });

  app.get('/', (c) =>
    c.html('<!doctype html><title>Hisaabo</title><h1>Hisaabo</h1><p>The server is running.</p>'),
  );

  return app;
}
