import { PassThrough, type Readable } from 'node:stream';

/**
 * Feeds one stream to two readers at the pace of the slower one (bounded memory), e.g. the file
 * writer and the verifier of the plaintext. An error of the source reaches both.
 */
export function tee(source: Readable): [Readable, Readable] {
  const a = new PassThrough();
  const b = new PassThrough();
  let waiting = 0;
  const resume = () => {
    waiting--;
    if (waiting === 0) source.resume();
  };
  source.on('data', (chunk: Buffer) => {
    const aOk = a.write(chunk);
    const bOk = b.write(chunk);
    if (!aOk) {
      waiting++;
      a.once('drain', resume);
    }
    if (!bOk) {
      waiting++;
      b.once('drain', resume);
    }
    if (waiting > 0) source.pause();
  });
  source.on('end', () => {
    a.end();
    b.end();
  });
  source.on('error', (error) => {
    a.destroy(error);
    b.destroy(error);
  });
  // A reader that gives up (the disk is full) stops the source and the other reader.
  for (const [self, other] of [
    [a, b],
    [b, a],
  ] as const) {
    self.on('close', () => {
      if (!self.readableEnded && !source.destroyed) {
        const reason = new Error('the other reader of the backup stopped');
        source.destroy(reason);
        other.destroy(reason);
      }
    });
  }
  return [a, b];
}
