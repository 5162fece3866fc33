#!/usr/bin/env node
/**
 * Employee files for the benchmark: N rows in the standard format (FORMATS.md), English headers with `,`
 * or German headers with `;`, made by a seeded PRNG so that the same arguments give the same bytes.
 * A second mode derives the "changed" file of a re-import from an existing one: 1 % of rows changed,
 * 0.1 % removed, 0.1 % added. Both stream: memory does not grow with the number of rows.
 *
 *   node bench/generate.mjs --rows 1000000 --out /tmp/f0.csv [--lang de] [--seed 1]
 *   node bench/generate.mjs --from /tmp/f0.csv --changed --out /tmp/f1.csv [--seed 2]
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

export const FIELDS = /** @type {const} */ ([
  'number',
  'name',
  'address',
  'zip',
  'city',
  'country',
  'email',
  'workPhoneCode',
  'workPhone',
  'employedSince',
  'active',
]);

/** The headers written, as in FORMATS.md (the first header of each language). */
export const HEADERS = {
  en: [
    'Employee no.',
    'Employee name',
    'Address',
    'ZIP code',
    'City',
    'Country',
    'E-mail',
    'Work phone code',
    'Work phone (SMS)',
    'Employed since',
    'Active',
  ],
  de: [
    'P.-Nr.',
    'Name',
    'Adresse',
    'PLZ',
    'Ort',
    'Land',
    'E-Mail',
    'Arbeitstelefon-Ländervorwahl',
    'Arbeitstelefon (SMS)',
    'Eintrittsdatum',
    'Aktiv',
  ],
};
export const DELIMITER = { en: ',', de: ';' };

// prettier-ignore
const DE_FIRST = ['Jürgen', 'Müge', 'Sören', 'Björn', 'Jörg', 'Günther', 'Lukas', 'Anna', 'Maria', 'Thomas', 'Sabine',
  'Stefan', 'Katrin', 'Michael', 'Jörn', 'Käthe', 'Uwe', 'Ursula', 'Andreas', 'Petra', 'Monika', 'Hans-Peter', 'Lena',
  'Fatma', 'Mehmet', 'Zoë', 'Dörte', 'Frauke', 'Bärbel', 'Jan', 'Leonie', 'Max', 'Sophie', 'Özlem', 'Krzysztof'];
// prettier-ignore
const DE_LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weiß', 'Schäfer', 'Köhler', 'Größer', 'Krüger', 'Hoffmann',
  'Wagner', 'Becker', 'Schulz', 'Böhm', 'Jäger', 'Groß', 'Lößner', 'Özdemir', 'Yılmaz', 'Kowalski', 'Meyer-Lüdenscheidt',
  'Hübner', 'Zimmermann', 'Braun', 'Wolff', 'Schröder', 'Neumann', 'Schwarz', 'Voß', 'Bäcker'];
// prettier-ignore
const DK_FIRST = ['Søren', 'Mette', 'Jens', 'Kirsten', 'Åse', 'Bjørn', 'Ærling', 'Lars', 'Hanne', 'Mads', 'Freja', 'Rasmus',
  'Sofie', 'Niels', 'Ida', 'Jørgen', 'Birthe', 'Mikkel', 'Maja', 'Anders', 'Pernille', 'Kåre', 'Signe', 'Torben'];
// prettier-ignore
const DK_LAST = ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen',
  'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Møller', 'Østergaard', 'Lærkesen', 'Bækgaard',
  'Dahl', 'Frølund', 'Aagaard', 'Skovgård', 'Kjær'];
// prettier-ignore
const DE_STREETS = ['Hauptstraße', 'Schulstraße', 'Gartenstraße', 'Bahnhofstraße', 'Dorfstraße', 'Bergstraße',
  'Lindenallee', 'Am Mühlbach', 'Kirchweg', 'Rosenstraße', 'Goethestraße', 'Schillerstraße', 'Waldweg',
  'Friedrich-Ebert-Straße', 'Königsallee', 'Grüner Weg', 'Am Markt', 'Lärchenweg'];
// prettier-ignore
const DK_STREETS = ['Østergade', 'Vestergade', 'Nørregade', 'Søndergade', 'Strandvejen', 'Skovvej', 'Kirkevej',
  'Bøgevej', 'Åboulevarden', 'Kongens Nytorv', 'Møllevej', 'Ægirsgade', 'Hørsholmvej', 'Fælledvej'];
/** [zip prefix or full zip base, city] */
// prettier-ignore
const DE_CITIES = [['10', 'Berlin'], ['20', 'Hamburg'], ['80', 'München'], ['50', 'Köln'], ['60', 'Frankfurt am Main'],
  ['70', 'Stuttgart'], ['40', 'Düsseldorf'], ['04', 'Leipzig'], ['01', 'Dresden'], ['30', 'Hannover'], ['90', 'Nürnberg'],
  ['28', 'Bremen'], ['24', 'Kiel'], ['23', 'Lübeck'], ['24', 'Flensburg'], ['79', 'Freiburg im Breisgau'],
  ['97', 'Würzburg'], ['45', 'Essen'], ['48', 'Münster'], ['66', 'Saarbrücken']];
// prettier-ignore
const DK_CITIES = [['1', 'København K'], ['8', 'Aarhus C'], ['5', 'Odense C'], ['9', 'Aalborg'], ['6', 'Esbjerg'],
  ['7', 'Vejle'], ['4', 'Roskilde'], ['3', 'Helsingør'], ['8', 'Århus N'], ['6', 'Sønderborg'], ['6', 'Aabenraa'],
  ['7', 'Herning'], ['8', 'Randers'], ['3', 'Hillerød'], ['9', 'Frederikshavn'], ['4', 'Næstved']];
const DE_DOMAINS = ['example.de', 'reinigung-nord.de', 'mail.example.com', 'glanz-service.de'];
const DK_DOMAINS = ['example.dk', 'rengoering.dk', 'mail.example.com', 'puds-service.dk'];

/** sfc32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function prng(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

const pick = (rng, list) => list[Math.floor(rng() * list.length)];
const digits = (rng, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rng() * 10);
  return s;
};
const pad = (n, width) => String(n).padStart(width, '0');
// ß → ss before NFD, then drop the combining marks: Jürgen → jurgen, Søren → soren.
const ascii = (s) =>
  s
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[^a-z0-9-]/g, '');

/** The zero-padded employee number of index `i` ("0000123"). */
export const numberOf = (i) => pad(i, 7);

/**
 * One employee as an object of canonical-looking cell texts (dates DD.MM.YYYY, active ja/nein).
 * @param {() => number} rng
 * @param {number} n  the employee number
 */
export function makeEmployee(rng, n, inactive = 0.08) {
  const dk = rng() < 0.35;
  const first = pick(rng, dk ? DK_FIRST : DE_FIRST);
  const last = pick(rng, dk ? DK_LAST : DE_LAST);
  const place = placeOf(rng, dk);
  const year = 1990 + Math.floor(rng() * 36);
  return {
    number: numberOf(n),
    name: `${first} ${last}`,
    address: `${pick(rng, dk ? DK_STREETS : DE_STREETS)} ${1 + Math.floor(rng() * 180)}`,
    ...place,
    email: `${ascii(first)}.${ascii(last)}${n}@${pick(rng, dk ? DK_DOMAINS : DE_DOMAINS)}`,
    ...phoneOf(rng, dk),
    employedSince: `${pad(1 + Math.floor(rng() * 28), 2)}.${pad(1 + Math.floor(rng() * 12), 2)}.${year}`,
    active: rng() < inactive ? 'nein' : 'ja',
  };
}

function placeOf(rng, dk) {
  const [prefix, city] = pick(rng, dk ? DK_CITIES : DE_CITIES);
  return { zip: prefix + digits(rng, (dk ? 4 : 5) - prefix.length), city, country: dk ? 'DK' : 'DE' };
}

function phoneOf(rng, dk) {
  return dk
    ? {
        workPhoneCode: '+45',
        workPhone: `${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`,
      }
    : { workPhoneCode: '+49', workPhone: `15${digits(rng, 1)} ${digits(rng, 7 + Math.floor(rng() * 2))}` };
}

/** A plausible edit by the payroll system: a move, a new phone, a new e-mail or an end of activity. */
export function changeEmployee(rng, employee) {
  const dk = employee.country === 'DK';
  const r = rng();
  if (r < 0.4) {
    const street = employee.address.replace(/ \d+$/, '');
    return { ...employee, ...placeOf(rng, dk), address: `${street} ${1 + Math.floor(rng() * 180)}` };
  }
  if (r < 0.7) return { ...employee, ...phoneOf(rng, dk) };
  if (r < 0.9) return { ...employee, email: employee.email.replace('@', `.${digits(rng, 2)}@`) };
  return { ...employee, active: employee.active === 'ja' ? 'nein' : 'ja' };
}

const NEEDS_QUOTES = /[",;\t\r\n]/;
const cell = (text) => (NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const line = (cells, delimiter) => cells.map(cell).join(delimiter) + '\r\n';

/** A write stream that honours back-pressure: `push` resolves when the stream may take more. */
function writer(out) {
  const stream = createWriteStream(out);
  let pending = '';
  return {
    async push(text) {
      pending += text;
      if (pending.length < 1 << 16) return;
      const ok = stream.write(pending);
      pending = '';
      if (!ok) await once(stream, 'drain');
    },
    async end() {
      if (pending) stream.write(pending);
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/**
 * Writes `rows` employees numbered 1…rows; a share `inactive` of them (default 8 %) are not active.
 * @param {{ rows: number, out: string, lang?: 'en' | 'de', seed?: number, inactive?: number }} options
 */
export async function generateFile({ rows, out, lang = 'en', seed = 1, inactive = 0.08 }) {
  const rng = prng(seed);
  const delimiter = DELIMITER[lang];
  const w = writer(out);
  await w.push(line(HEADERS[lang], delimiter));
  for (let i = 1; i <= rows; i++) {
    const e = makeEmployee(rng, i, inactive);
    await w.push(
      line(
        FIELDS.map((f) => e[f]),
        delimiter,
      ),
    );
  }
  await w.end();
  return { rows, out, lang, inactive };
}

/**
 * Streams `from` into `out`: each row is kept, changed (share `changed`) or left out (share `removed`);
 * then `added` × rows new employees follow, numbered after the highest number seen. Works on either
 * language; the header line and delimiter are kept.
 * @param {{ from: string, out: string, seed?: number, changed?: number, removed?: number, added?: number }} options
 */
export async function deriveChanged({ from, out, seed = 2, changed = 0.01, removed = 0.001, added = 0.001 }) {
  const rng = prng(seed);
  const w = writer(out);
  const counts = { read: 0, kept: 0, changed: 0, removed: 0, added: 0 };
  let delimiter = ',';
  let columns = /** @type {string[] | undefined} */ (undefined);
  let highest = 0;
  const input = createReadStream(from);
  await new Promise((resolve, reject) => {
    Papa.parse(input, {
      skipEmptyLines: true,
      chunk(results, parser) {
        if (columns === undefined) {
          delimiter = results.meta.delimiter;
          const header = /** @type {string[]} */ (results.data.shift());
          const lang = HEADERS.de[0] === header[0] ? 'de' : 'en';
          columns = header.map((h) => FIELDS[HEADERS[lang].indexOf(h)] ?? '');
          void w.push(line(header, delimiter));
        }
        let text = '';
        for (const cells of /** @type {string[][]} */ (results.data)) {
          counts.read++;
          const e = Object.fromEntries(columns.map((f, i) => [f, cells[i] ?? '']));
          highest = Math.max(highest, Number(e.number) || 0);
          const r = rng();
          if (r < removed) {
            counts.removed++;
            continue;
          }
          const row = r < removed + changed ? changeEmployee(rng, e) : e;
          if (row === e) counts.kept++;
          else counts.changed++;
          text += line(
            columns.map((f, i) => (f ? row[f] : (cells[i] ?? ''))),
            delimiter,
          );
        }
        parser.pause();
        w.push(text).then(() => parser.resume(), reject);
      },
      complete: resolve,
      error: reject,
    });
  });
  const extra = Math.round(counts.read * added);
  for (let i = 1; i <= extra; i++) {
    const e = makeEmployee(rng, highest + i, 0);
    await w.push(line(columns?.map((f) => e[f] ?? '') ?? [], delimiter));
    counts.added++;
  }
  await w.end();
  return { out, ...counts, rows: counts.kept + counts.changed + counts.added };
}

/** Command-line flags as `{ name: value }` (a flag without a value is `true`). */
export function parseFlags(argv) {
  /** @type {Record<string, string | boolean>} */
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const next = argv[i + 1];
    flags[name ?? ''] = inline ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : true);
  }
  return flags;
}

const HELP = `Usage:
  node bench/generate.mjs --rows N --out FILE [--lang en|de] [--seed S] [--inactive 0.08]
      N employees numbered 0000001…, English headers with "," or German headers with ";";
      a share --inactive of them (default 0.08) have Active = nein.
  node bench/generate.mjs --from F0 --changed --out F1 [--seed S]
      F1 = F0 with 1 % of rows changed, 0.1 % removed and 0.1 % added (same headers and delimiter).
`;

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help || flags.h || !flags.out) {
    process.stdout.write(HELP);
    return flags.help || flags.h ? 0 : 2;
  }
  const started = Date.now();
  const seed = flags.seed ? Number(flags.seed) : undefined;
  const result = flags.from
    ? await deriveChanged({ from: String(flags.from), out: String(flags.out), ...(seed ? { seed } : {}) })
    : await generateFile({
        rows: Number(flags.rows ?? 1000),
        out: String(flags.out),
        lang: flags.lang === 'de' ? 'de' : 'en',
        ...(seed ? { seed } : {}),
        ...(flags.inactive !== undefined ? { inactive: Number(flags.inactive) } : {}),
      });
  process.stdout.write(`${JSON.stringify({ ...result, ms: Date.now() - started })}\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`bench/generate.mjs: ${error instanceof Error ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}
