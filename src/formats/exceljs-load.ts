/**
 * exceljs, loaded with its XML parsing fixed to decode UTF-8 split across chunks.
 *
 * exceljs 4.4.0's streaming reader parses every XML part of a workbook through `lib/utils/parse-sax.js`,
 * which decodes each chunk of the unzipped part on its own (`bufferToString(chunk)`): a character whose
 * bytes fall on both sides of a chunk boundary becomes two U+FFFD. A large sheet then reads "Köln" as
 * "K��ln" in a row here and there, without an error (exceljs issues #2063 and #2084; the fixes proposed
 * upstream are unmerged). exceljs has no option for it, and `npm ci` reinstalls node_modules, so the module
 * is replaced from here: a copy that decodes with one `StringDecoder` per part — which carries a partial
 * character over to the next chunk — is put into the CommonJS require cache under parse-sax's own path
 * before exceljs is loaded. Each exceljs module that requires it (worksheet reader, shared strings in the
 * workbook reader, hyperlinks, the xforms) then gets the copy; `import('exceljs')` loads the package through
 * the same cache.
 *
 * The copy has to be in the cache before any exceljs module is, so it is put there when this module is
 * evaluated (a path lookup; exceljs itself still loads only when an XLSX file comes). `loadExcelJs` checks
 * that the readers did get it, and throws rather than read with the broken decoder: when exceljs was loaded
 * before this module, or a new version moved its files.
 */
import type ExcelJS from 'exceljs';
import { createRequire, Module } from 'node:module';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

const require = createRequire(import.meta.url);

const PARSE_SAX = 'exceljs/lib/utils/parse-sax.js';
/** The exceljs modules that take their XML events from parse-sax. */
const PARSE_SAX_USERS = [
  'exceljs/lib/stream/xlsx/worksheet-reader.js',
  'exceljs/lib/stream/xlsx/workbook-reader.js',
  'exceljs/lib/stream/xlsx/hyperlink-reader.js',
  'exceljs/lib/xlsx/xform/base-xform.js',
] as const;
/** Marks the copy; a symbol from the registry, so a second evaluation of this module (tests) knows it too. */
const FIXED = Symbol.for('abgleich.exceljs-utf8-parse-sax');

type Excel = typeof ExcelJS;

const installError = installParseSax();
let loading: Promise<Excel> | undefined;

/** exceljs with the UTF-8 fix in place; throws when the fix cannot be made sure of. */
export function loadExcelJs(): Promise<Excel> {
  return (loading ??= load());
}

async function load(): Promise<Excel> {
  if (installError) throw installError;
  const { default: excel } = await import('exceljs');
  const fixed = require.cache[require.resolve(PARSE_SAX)];
  const missed = PARSE_SAX_USERS.filter((user) => {
    const loaded = require.cache[require.resolve(user)];
    return !fixed || !loaded?.children.includes(fixed);
  });
  if (missed.length > 0)
    throw fixError(`${missed.join(', ')} did not load the fixed parse-sax (was exceljs loaded before?)`);
  return excel;
}

/** Puts the fixed parse-sax into the require cache, or says why it cannot. */
function installParseSax(): Error | undefined {
  try {
    // Throws when the file is gone or no longer exported: the fix must not quietly miss.
    const path = require.resolve(PARSE_SAX);
    const cached = require.cache[path];
    if ((cached?.exports as Record<symbol, unknown> | undefined)?.[FIXED]) return undefined;
    if (cached) return fixError(`exceljs was loaded before ${PARSE_SAX} could be replaced`);
    const module = new Module(path);
    module.filename = path;
    module.loaded = true;
    module.exports = Object.assign(utf8ParseSax(createRequire(path)), { [FIXED]: true });
    require.cache[path] = module;
    return undefined;
  } catch (cause) {
    return fixError(String((cause as Error).message).split('\n', 1)[0] ?? '', cause);
  }
}

function fixError(reason: string, cause?: unknown): Error {
  const message =
    `exceljs cannot be loaded with its UTF-8 fix (src/formats/exceljs-load.ts): ${reason}; ` +
    'without it, characters of large XLSX files are read as U+FFFD';
  return new Error(message, cause === undefined ? {} : { cause });
}

/** The slice of saxes (exceljs's XML parser) that parse-sax uses. */
interface SaxesParser {
  on(event: 'error', handler: (error: Error) => void): void;
  on(event: SaxEventType, handler: (value: unknown) => void): void;
  write(text: string): void;
}
type SaxEventType = 'opentag' | 'text' | 'closetag';
interface SaxEvent {
  eventType: SaxEventType;
  value: unknown;
}
type Chunks = AsyncIterable<Buffer | string>;

/**
 * exceljs's parse-sax with one change: bytes are decoded by a `StringDecoder` that keeps an incomplete
 * character for the next chunk. Yields the events of each chunk as one array, as the original does.
 * saxes is required from exceljs's own folder, so the parser is the one exceljs was written against.
 */
function utf8ParseSax(requireFromExceljs: NodeJS.Require) {
  return async function* parseSax(input: Chunks | NodeJS.ReadableStream): AsyncGenerator<SaxEvent[]> {
    // A stream without async iteration (exceljs keeps this for old streams) is read through a PassThrough.
    const chunks =
      Symbol.asyncIterator in input
        ? (input as Chunks)
        : (input as NodeJS.ReadableStream).pipe(new PassThrough());
    const { SaxesParser } = requireFromExceljs('saxes') as { SaxesParser: new () => SaxesParser };
    const parser = new SaxesParser();
    let error: Error | undefined;
    parser.on('error', (e) => (error = e));
    let events: SaxEvent[] = [];
    for (const eventType of ['opentag', 'text', 'closetag'] as const)
      parser.on(eventType, (value) => events.push({ eventType, value }));
    const decoder = new StringDecoder('utf8');
    for await (const chunk of chunks) {
      // saxes emits synchronously: once `write` returns, the chunk's events are all in `events`.
      parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      if (error) throw error;
      yield events;
      events = [];
    }
    // Bytes left over are a character cut off at the end of the part: the decoder gives U+FFFD for them.
    const rest = decoder.end();
    if (rest === '') return;
    parser.write(rest);
    if (error) throw error;
    yield events;
  };
}
