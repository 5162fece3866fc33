/**
 * The field catalogue of SYNC.md §3: which fields each entity kind has, what kind of value each holds,
 * and its limits. Parsing and comparing values by kind lives in `values.ts`.
 */

export const ENTITY_KINDS = ['employee', 'customer'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** The kind with its article, for help texts and summaries: "an employee", "a customer". */
export const A_KIND: Record<EntityKind, string> = { employee: 'an employee', customer: 'a customer' };

export const EMPLOYEE_FIELDS = [
  'number',
  'salaryNumber',
  'name',
  'address',
  'zip',
  'city',
  'country',
  'ssn',
  'bankRegNo',
  'accountNo',
  'phoneCode',
  'privatePhone',
  'workPhoneCode',
  'workPhone',
  'email',
  'employedSince',
  'employedUntil',
  'active',
] as const;

export const CUSTOMER_FIELDS = [
  'number',
  'debtorNumber',
  'name',
  'type',
  'address',
  'zip',
  'city',
  'country',
  'companyRegNo',
  'ean',
  'email',
  'phone',
  'contactName',
  'contactEmail',
  'contactPhone',
  'active',
] as const;

export type EmployeeField = (typeof EMPLOYEE_FIELDS)[number];
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];
export type FieldName = EmployeeField | CustomerField;

/** The customer fields that belong to the contact person; compared only when the integration says so. */
export const CONTACT_FIELDS = [
  'contactName',
  'contactEmail',
  'contactPhone',
] as const satisfies readonly CustomerField[];

export const FIELD_KINDS = [
  'identifier',
  'text',
  'country',
  'ssn',
  'digits',
  'account',
  'phoneCode',
  'phone',
  'email',
  'date',
  'boolean',
  'customerType',
  'ean',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldDef {
  readonly name: FieldName;
  readonly kind: FieldKind;
  /** Longest value allowed, in characters (digits for `digits`). */
  readonly max?: number;
  readonly required?: boolean;
  /** Masked in the UI and never written to logs in clear. */
  readonly sensitive?: boolean;
  /** For phone fields: the field holding the country calling code used for E.164 comparison. */
  readonly phoneCodeField?: FieldName;
  /** Only allowed on business customers. */
  readonly businessOnly?: boolean;
}

const def = (name: FieldName, kind: FieldKind, extra: Omit<FieldDef, 'name' | 'kind'> = {}): FieldDef => ({
  name,
  kind,
  ...extra,
});

const shared = {
  address: def('address', 'text', { max: 100 }),
  zip: def('zip', 'text', { max: 10 }),
  city: def('city', 'text', { max: 30 }),
  country: def('country', 'country'),
  email: def('email', 'email', { max: 254 }),
  active: def('active', 'boolean'),
};

const EMPLOYEE_DEFS: Record<EmployeeField, FieldDef> = {
  number: def('number', 'identifier', { max: 10, required: true }),
  salaryNumber: def('salaryNumber', 'identifier', { max: 20 }),
  name: def('name', 'text', { max: 100, required: true }),
  ...shared,
  ssn: def('ssn', 'ssn', { max: 20, sensitive: true }),
  bankRegNo: def('bankRegNo', 'digits', { max: 8, sensitive: true }),
  accountNo: def('accountNo', 'account', { max: 15, sensitive: true }),
  phoneCode: def('phoneCode', 'phoneCode'),
  privatePhone: def('privatePhone', 'phone', { max: 30, phoneCodeField: 'phoneCode' }),
  workPhoneCode: def('workPhoneCode', 'phoneCode'),
  workPhone: def('workPhone', 'phone', { max: 30, phoneCodeField: 'workPhoneCode' }),
  employedSince: def('employedSince', 'date'),
  employedUntil: def('employedUntil', 'date'),
};

const CUSTOMER_DEFS: Record<CustomerField, FieldDef> = {
  number: def('number', 'identifier', { max: 10, required: true }),
  debtorNumber: def('debtorNumber', 'text', { max: 20 }),
  name: def('name', 'text', { max: 100, required: true }),
  type: def('type', 'customerType'),
  ...shared,
  companyRegNo: def('companyRegNo', 'text', { max: 30, businessOnly: true }),
  ean: def('ean', 'ean', { businessOnly: true }),
  phone: def('phone', 'phone', { max: 30 }),
  contactName: def('contactName', 'text', { max: 100 }),
  contactEmail: def('contactEmail', 'email', { max: 254 }),
  contactPhone: def('contactPhone', 'phone', { max: 30 }),
};

export const FIELDS_OF: { readonly [K in EntityKind]: readonly FieldName[] } = {
  employee: EMPLOYEE_FIELDS,
  customer: CUSTOMER_FIELDS,
};

/** The definition of `field` for `kind`, or undefined when that kind has no such field. */
const DEF_MAPS: { readonly [K in EntityKind]: ReadonlyMap<string, FieldDef> } = {
  employee: new Map(Object.entries(EMPLOYEE_DEFS)),
  customer: new Map(Object.entries(CUSTOMER_DEFS)),
};

export function findFieldDef(kind: EntityKind, field: string): FieldDef | undefined {
  return DEF_MAPS[kind].get(field);
}

/** The fields whose values are masked unless asked for (SSN, bank details), of either kind. */
export const SENSITIVE_FIELDS: ReadonlySet<string> = new Set(
  [...Object.values(EMPLOYEE_DEFS), ...Object.values(CUSTOMER_DEFS)]
    .filter((d) => d.sensitive)
    .map((d) => d.name),
);

/** A sensitive value as it may be shown: its last two characters only. */
export const maskValue = (v: string): string =>
  v.length <= 2 ? '••' : `${'•'.repeat(Math.min(8, v.length - 2))}${v.slice(-2)}`;

/** `values` with every sensitive value masked (`maskValue`); empty ones stay empty. */
export function maskedValues<V extends Readonly<Record<string, string | undefined>>>(values: V): V {
  const out: Record<string, string | undefined> = { ...values };
  for (const [k, v] of Object.entries(values)) if (v && SENSITIVE_FIELDS.has(k)) out[k] = maskValue(v);
  return out as V;
}

export function getFieldDef(kind: EntityKind, field: string): FieldDef {
  const found = findFieldDef(kind, field);
  if (!found) throw new Error(`${kind} has no field ${field}`);
  return found;
}

export function isEntityKind(value: string): value is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}

/**
 * A record's values, keyed by field name, each in its canonical (normalised) text form.
 * Missing and '' are the same value: empty. `active` is 'true' or 'false'.
 */
export type FieldValues = Readonly<Partial<Record<FieldName, string>>>;
