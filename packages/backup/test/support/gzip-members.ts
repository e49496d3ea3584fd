import { inflateRawSync } from 'node:zlib';

/**
 * The number of gzip members a buffer holds, walking them one by one (test helper; members as
 * zlib writes them: no optional header fields, so each header is 10 bytes and each trailer 8).
 */
export function gzipMembers(buffer: Buffer): number {
  let members = 0;
  let at = 0;
  while (at < buffer.length) {
    if (buffer[at] !== 0x1f || buffer[at + 1] !== 0x8b || buffer[at + 3] !== 0) {
      throw new Error(`no plain gzip member starts at byte ${at}`);
    }
    const { engine } = inflateRawSync(buffer.subarray(at + 10), { info: true }) as unknown as {
      engine: { bytesWritten: number };
    };
    at += 10 + engine.bytesWritten + 8;
    members += 1;
  }
  return members;
}
