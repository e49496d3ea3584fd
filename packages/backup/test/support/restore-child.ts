// Run as a child process by the crash test: restores an archive into an organization but stops
// feeding it part-way, says LOADING once rows are in its open transaction, then waits to be killed.
import { createReadStream, statSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { connect } from '@hisaabo/db';
import { restoreTenant } from '../../src/index.ts';

const [target, archivePath, location] = process.argv.slice(2) as [string, string, string];
const database = await connect(
  location.startsWith('postgres') ? { databaseUrl: location } : { dataDir: location },
);

const stallAfter = Math.floor(statSync(archivePath).size * 0.7);
const input = new PassThrough();
let sent = 0;
createReadStream(archivePath).on('data', (chunk) => {
  const room = stallAfter - sent;
  if (room <= 0) return;
  const piece = (chunk as Buffer).subarray(0, room);
  sent += piece.length;
  input.write(piece);
});

// PGlite holds no handle of its own: keep the process alive while the input stalls.
setInterval(() => {}, 60_000);

let announced = false;
restoreTenant(database, target, input, {
  onProgress: ({ rows }) => {
    if (!announced && rows > 0) {
      announced = true;
      process.stdout.write('LOADING\n');
    }
  },
}).then(
  () => process.stdout.write('FINISHED\n'),
  (error: Error) => process.stdout.write(`FAILED ${error.message}\n`),
);
