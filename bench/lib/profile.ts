import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Summarises a V8 .cpuprofile (from `node --cpu-prof`) of the main thread: self time by category
// and the hottest functions. zlib compression runs on the libuv thread pool, so it shows here only
// as the main thread waiting; the step's total CPU (all threads) tells the rest. The steps run the
// compiled bundle (dist/): its frames are named by their source file and line through its source maps.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  categories: { name: string; ms: number; share: number }[];
  functions: { name: string; where: string; ms: number; share: number }[];
}

const CATEGORIES: [string, (f: CallFrame) => boolean][] = [
  ['idle (waiting on database, zlib threads or I/O)', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['PostgreSQL client protocol (pg)', (f) => /node_modules\/(pg|pg-protocol|pg-copy-streams)\//.test(f.url)],
  ['PGlite: the embedded PostgreSQL (WebAssembly)', (f) => f.url.startsWith('wasm://')],
  ['PGlite: its JavaScript (protocol, results)', (f) => /node_modules\/@electric-sql\/pglite\//.test(f.url)],
  [
    'tar writer/reader (tar-stream, streamx)',
    (f) => /node_modules\/(tar-stream|streamx|b4a|fast-fifo|text-decoder)\//.test(f.url),
  ],
  ['zlib bindings (main-thread part)', (f) => /zlib/.test(f.url)],
  ['hashing (crypto)', (f) => /internal\/crypto/.test(f.url)],
  ['Node streams', (f) => /internal\/streams/.test(f.url)],
  ['Web streams (Node <-> Web adapters)', (f) => /internal\/webstreams/.test(f.url)],
  [
    'HTTP (node:http, Hono and its Node adapter)',
    (f) => /node_modules\/(hono|@hono)\/|^node:_http|internal\/http/.test(f.url),
  ],
  ['network sockets', (f) => /^node:net$|internal\/(net|stream_base_commons)/.test(f.url)],
  ['server (packages/server)', (f) => f.url.includes('packages/server/')],
  ['JSON parse/stringify', (f) => /^(JSON\.)?(parse|stringify)$/.test(f.functionName) && f.url === ''],
  ['backup engine (packages/backup)', (f) => f.url.includes('packages/backup/')],
  ['validation (zod)', (f) => /node_modules\/zod\//.test(f.url)],
  ['drizzle', (f) => /node_modules\/drizzle-orm\//.test(f.url)],
  ['module loading', (f) => /internal\/modules/.test(f.url)],
  ['V8 builtins and natives', (f) => f.url === '' && f.functionName !== '(program)'],
  ['(program)', (f) => f.functionName === '(program)'],
];

const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapOf(url: string): SourceMap | null {
  // Only our bundle: npm packages keep their node_modules path, which names their category.
  if (!url.startsWith('file://') || !url.endsWith('.js') || url.includes('/node_modules/')) return null;
  if (!sourceMaps.has(url)) {
    const file = `${fileURLToPath(url)}.map`;
    sourceMaps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null);
  }
  return sourceMaps.get(url) ?? null;
}

/** A frame of the bundle as its source: file and line of the TypeScript it was compiled from. */
function original(frame: CallFrame): CallFrame {
  const map = sourceMapOf(frame.url);
  if (!map) return frame;
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
    originalSource?: string;
    originalLine?: number;
  };
  if (!entry.originalSource) return frame;
  return { ...frame, url: entry.originalSource, lineNumber: entry.originalLine ?? 0 };
}

function categorise(frame: CallFrame): string {
  for (const [name, test] of CATEGORIES) if (test(frame)) return name;
  return 'other JavaScript';
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const pkg = url.indexOf('packages/');
  if (pkg >= 0) return url.slice(pkg);
  return url.replace(/^node:/, 'node:');
}

/**
 * Self time per category and function. With `window` ([start, end] on the monotonic clock, µs), only
 * samples taken during the operation count: process start-up and module loading are left out.
 */
export function summariseProfile(file: string, window?: [number, number], top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window[0] || at > window[1])) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const categories = new Map<string, number>();
  const functions = new Map<string, { where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const compiled = byId.get(id)?.callFrame;
    if (!compiled) continue;
    const frame = original(compiled);
    const category = categorise(frame);
    categories.set(category, (categories.get(category) ?? 0) + us);
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  return {
    totalMs: totalUs / 1000,
    categories: [...categories.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs })),
    functions: [...functions.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([key, v]) => ({
        name: key.split('@')[0]!,
        where: v.where,
        ms: v.us / 1000,
        share: v.us / totalUs,
      })),
  };
}

/** The main thread's profile in a --cpu-prof directory (the largest file: workers' are small). */
export function mainProfile(dir: string): string | null {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
  if (files.length === 0) return null;
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}
