import { connect } from '../../src/index.ts';

// Opens the embedded database in argv[2] and keeps it open until stdin closes: a second process on
// the same directory, as a test sees it. Says `opened` or `busy` on stdout.
try {
  const database = await connect({ dataDir: process.argv[2]! });
  process.stdout.write(`opened ${process.pid}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void database.close().then(() => process.exit(0)));
} catch (error) {
  process.stdout.write(`busy ${(error as Error).name}: ${(error as Error).message}\n`);
  process.exit(5);
}
