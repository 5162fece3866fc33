/**
 * The header catalogue of FORMATS.md: for each entity kind and field, the column headers in English,
 * German and Danish. The first header of each language is the one written; the others are read too.
 *
 * Matching folds more than FORMATS.md demands (case, whitespace) because real exports differ in
 * punctuation: "E-Mail" / "Email" / "e-mail", "Postnr" / "Postnr.", "P.-Nr." / "PNr". A header's key
 * keeps only its letters and digits, lower-cased; the catalogue is checked at load time so that no key
 * names two fields of one kind.
 */
import type { CustomerField, EmployeeField, EntityKind, FieldName } from '../core/fields.js';

export const LANGUAGES = ['en', 'de', 'da'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Headers of one field: per language, the written one first. */
type Headers = Readonly<Record<Language, readonly string[]>>;

const h = (en: string[], de: string[], da: string[]): Headers => ({ en, de, da });

/** Columns customers share with employees ("as employees" in FORMATS.md). */
const SHARED = {
  address: h(
    ['Address', 'Street', 'Street address'],
    ['Adresse', 'Straße', 'Strasse', 'Anschrift'],
    ['Adresse', 'Vej'],
  ),
  zip: h(['ZIP code', 'ZIP', 'Postcode', 'Postal code'], ['Postleitzahl', 'PLZ'], ['Postnr.', 'Postnummer']),
  city: h(['City', 'Town'], ['Stadt', 'Ort', 'Wohnort'], ['By', 'Bynavn']),
  country: h(['Country', 'Country code'], ['Land', 'Ländercode', 'Länderkennzeichen'], ['Land']),
  email: h(['E-mail', 'E-mail address'], ['E-Mail', 'E-Mail-Adresse'], ['E-mail', 'E-mailadresse', 'Mail']),
  active: h(['Active'], ['Aktiv'], ['Aktiv']),
} as const;

const EMPLOYEE_HEADERS: Readonly<Record<EmployeeField, Headers>> = {
  number: h(
    ['Employee no.', 'Employee number', 'Employee ID'],
    ['P.-Nr.', 'Personalnummer', 'Personalnr.', 'Pers.-Nr.', 'Mitarbeiternummer', 'Mitarbeiternr.'],
    ['Medarbejdernr.', 'Medarbejdernummer', 'Medarb.nr.'],
  ),
  salaryNumber: h(
    ['Salary number', 'Salary no.', 'Payroll number'],
    ['Gehaltsnummer', 'Lohnnummer'],
    ['Lønnummer', 'Lønnr.'],
  ),
  name: h(
    ['Employee name', 'Name', 'Full name'],
    ['Name', 'Mitarbeitername'],
    ['Navn', 'Medarbejdernavn', 'Fulde navn'],
  ),
  ...SHARED,
  ssn: h(
    ['SSN', 'Social security number'],
    ['Steuer-ID', 'Steuer-IdNr.', 'Steueridentifikationsnummer'],
    ['CPR-nr.', 'CPR-nummer', 'CPR'],
  ),
  bankRegNo: h(['Reg. no.', 'Bank reg. no.'], ['BLZ', 'Bankleitzahl'], ['Reg.nr.', 'Registreringsnummer']),
  accountNo: h(
    ['Account no.', 'Account number', 'IBAN'],
    // FORMATS.md's "Kontonr. / IBAN" names two headers; spreadsheets built from that table carry it whole.
    ['Kontonr.', 'IBAN', 'Kontonummer', 'Kontonr. / IBAN'],
    ['Kontonr.', 'Kontonummer'],
  ),
  phoneCode: h(['Phone code', 'Country calling code'], ['Ländervorwahl'], ['Landekode']),
  privatePhone: h(
    ['Private phone', 'Phone'],
    ['Telefon-Nr.', 'Telefon', 'Telefonnummer', 'Telefon privat'],
    ['Privat telefon', 'Telefon', 'Tlf.'],
  ),
  workPhoneCode: h(['Work phone code'], ['Arbeitstelefon-Ländervorwahl'], ['Landekode arbejde']),
  workPhone: h(
    ['Work phone (SMS)', 'Work phone', 'Business phone'],
    ['Arbeitstelefon (SMS)', 'Arbeitstelefon', 'Telefon dienstlich', 'Telefon geschäftlich', 'Diensttelefon'],
    ['Arbejdstelefon (SMS)', 'Arbejdstelefon', 'Telefon arbejde'],
  ),
  employedSince: h(
    ['Employed since', 'Start date', 'Hire date'],
    ['Eintrittsdatum', 'Eintritt', 'Eintritt am', 'Eingestellt am', 'Beschäftigt seit'],
    ['Ansat fra', 'Ansættelsesdato', 'Startdato'],
  ),
  employedUntil: h(
    ['Employed until', 'End date', 'Termination date'],
    ['Austrittsdatum', 'Austritt', 'Austritt am', 'Ausgeschieden am', 'Beschäftigt bis'],
    ['Ansat til', 'Fratrædelsesdato', 'Slutdato'],
  ),
};

const CUSTOMER_HEADERS: Readonly<Record<CustomerField, Headers>> = {
  number: h(
    ['Customer no.', 'Customer number', 'Customer ID'],
    ['Kundennr.', 'Kundennummer'],
    ['Kundenr.', 'Kundenummer'],
  ),
  debtorNumber: h(
    ['Debtor no.', 'Debtor number'],
    ['Debitorennr.', 'Debitorennummer', 'Debitornr.'],
    ['Debitornr.', 'Debitornummer'],
  ),
  name: h(
    ['Customer name', 'Name', 'Company name'],
    ['Kundenname', 'Name', 'Firmenname'],
    ['Kundenavn', 'Navn', 'Firmanavn'],
  ),
  type: h(['Type', 'Customer type'], ['Typ', 'Kundentyp', 'Kundenart'], ['Type', 'Kundetype']),
  ...SHARED,
  companyRegNo: h(
    ['CI no.', 'Company reg. no.', 'VAT no.'],
    ['Handelsregisternr.', 'USt-IdNr.', 'Handelsregisternummer'],
    ['CVR-nr.', 'CVR', 'CVR-nummer'],
  ),
  ean: h(['EAN no.', 'EAN', 'GLN'], ['GLN/EAN', 'GLN', 'EAN'], ['EAN-nr.', 'EAN-nummer', 'EAN']),
  phone: h(
    ['Phone', 'Telephone', 'Phone number'],
    ['Telefon', 'Telefonnummer', 'Telefon-Nr.'],
    ['Telefon', 'Tlf.', 'Telefonnummer'],
  ),
  contactName: h(['Contact person', 'Contact name'], ['Ansprechpartner'], ['Kontaktperson']),
  contactEmail: h(['Contact e-mail'], ['Ansprechpartner E-Mail'], ['Kontaktperson e-mail']),
  contactPhone: h(
    ['Contact mobile', 'Contact phone'],
    ['Ansprechpartner Mobil', 'Ansprechpartner Telefon'],
    ['Kontaktperson mobil', 'Kontaktperson telefon'],
  ),
};

const CATALOGUE: { readonly [K in EntityKind]: Readonly<Partial<Record<FieldName, Headers>>> } = {
  employee: EMPLOYEE_HEADERS,
  customer: CUSTOMER_HEADERS,
};

/** The form in which headers are compared: letters and digits only, lower-case, NFC. */
export function headerKey(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Builds key → field for one kind, refusing a key that would name two fields. */
function buildIndex(kind: EntityKind): ReadonlyMap<string, FieldName> {
  const index = new Map<string, FieldName>();
  for (const [field, headers] of Object.entries(CATALOGUE[kind]) as [FieldName, Headers][]) {
    for (const header of LANGUAGES.flatMap((lang) => headers[lang])) {
      const key = headerKey(header);
      const known = index.get(key);
      if (known !== undefined && known !== field) {
        throw new Error(`header "${header}" of ${kind} names both ${known} and ${field}`);
      }
      index.set(key, field);
    }
  }
  return index;
}

const INDEX: { readonly [K in EntityKind]: ReadonlyMap<string, FieldName> } = {
  employee: buildIndex('employee'),
  customer: buildIndex('customer'),
};

/**
 * A name written in two columns, first name and last name, as payroll exports mostly write it (DATEV,
 * Danløn): a file without a name column reads the two as one name, "first last".
 */
export type NamePart = 'first' | 'last';

const NAME_PARTS: Readonly<Record<NamePart, Headers>> = {
  first: h(['First name', 'Given name', 'Forename'], ['Vorname'], ['Fornavn']),
  last: h(['Last name', 'Surname', 'Family name'], ['Nachname', 'Familienname', 'Zuname'], ['Efternavn']),
};

/** Key → the part a header names and the language it is written in (the first that writes it). */
const NAME_PART_INDEX: ReadonlyMap<string, { part: NamePart; language: Language }> = (() => {
  const index = new Map<string, { part: NamePart; language: Language }>();
  for (const [part, headers] of Object.entries(NAME_PARTS) as [NamePart, Headers][]) {
    for (const language of LANGUAGES) {
      for (const header of headers[language]) {
        const key = headerKey(header);
        for (const kind of ['employee', 'customer'] as const) {
          const field = INDEX[kind].get(key);
          if (field) throw new Error(`header "${header}" names both the ${part} name and ${kind} ${field}`);
        }
        const known = index.get(key);
        if (known && known.part !== part) throw new Error(`header "${header}" names both name parts`);
        if (!known) index.set(key, { part, language });
      }
    }
  }
  return index;
})();

/** The part of a name a header of the standard format names ("Vorname", "Efternavn"), if any. */
export function findNamePart(header: string): NamePart | undefined {
  return NAME_PART_INDEX.get(headerKey(header))?.part;
}

/** A header naming one part of the name, and the written headers that would complete it in its language. */
export interface NameCompletion {
  readonly part: NamePart;
  /** The other part's header: "Nachname" for "Vorname", "First name" for "Surname". */
  readonly otherPart: string;
  /** The name column's header of `kind`: "Name", "Employee name", "Kundenavn". */
  readonly name: string;
}

/** What would complete a name of which `header` holds one part; undefined when it names no part. */
export function findNameCompletion(kind: EntityKind, header: string): NameCompletion | undefined {
  const found = NAME_PART_INDEX.get(headerKey(header));
  if (!found) return undefined;
  const other: NamePart = found.part === 'first' ? 'last' : 'first';
  return {
    part: found.part,
    otherPart: NAME_PARTS[other][found.language][0]!,
    name: getHeader(kind, 'name', found.language),
  };
}

/** The field a header of the standard format names, or undefined for an unknown header. */
export function findStandardField(kind: EntityKind, header: string): FieldName | undefined {
  return INDEX[kind].get(headerKey(header));
}

/** Every header (all languages, all alternatives) that reads as `field`. */
export function headersOf(kind: EntityKind, field: FieldName): readonly string[] {
  const headers = CATALOGUE[kind][field];
  return headers ? LANGUAGES.flatMap((lang) => headers[lang]) : [];
}

/** The header written for `field` in `language`. */
export function getHeader(kind: EntityKind, field: FieldName, language: Language): string {
  const written = CATALOGUE[kind][field]?.[language][0];
  if (written === undefined) throw new Error(`${kind} has no field ${field}`);
  return written;
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}
