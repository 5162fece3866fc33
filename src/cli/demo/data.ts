/**
 * The demo company: a German cleaning company with a payroll export (German headers) and a Danish
 * branch's customer list from its ERP (Danish headers). The records are chosen so that the overview of
 * each integration fills all six categories after two imports and one action.
 */
type Raw = Readonly<Record<string, string>>;

/** Employees in the registry before the first import. */
export const LOCAL_EMPLOYEES: readonly Raw[] = [
  {
    number: '1001',
    name: 'Anna Müller',
    address: 'Schönhauser Allee 12',
    zip: '10437',
    city: 'Berlin',
    country: 'DE',
    workPhoneCode: '+49',
    workPhone: '0170 1234567',
    email: 'anna.mueller@example.de',
    employedSince: '2019-04-01',
  },
  {
    number: '1002',
    name: 'Jürgen Weiß',
    address: 'Grindelallee 80',
    zip: '20146',
    city: 'Hamburg',
    country: 'DE',
    workPhoneCode: '+49',
    workPhone: '0171 2223344',
    employedSince: '2020-01-15',
  },
  {
    number: '1003',
    name: 'Sophie Schröder',
    address: 'Königstraße 5',
    zip: '70173',
    city: 'Stuttgart',
    country: 'DE',
    employedSince: '2021-06-01',
  },
  {
    number: '1004',
    name: 'Mehmet Yılmaz',
    address: 'Keupstraße 31',
    zip: '51063',
    city: 'Köln',
    country: 'DE',
    workPhoneCode: '+49',
    workPhone: '0152 9876543',
    employedSince: '2018-09-01',
  },
  {
    number: '1005',
    name: 'Katarzyna Nowak',
    address: 'Leipziger Straße 44',
    zip: '04109',
    city: 'Leipzig',
    country: 'DE',
    employedSince: '2022-02-01',
  },
  {
    number: '1006',
    name: 'Lukas Becker',
    address: 'Marienplatz 1',
    zip: '80331',
    city: 'München',
    country: 'DE',
    employedSince: '2026-10-01',
  },
  {
    number: '1007',
    name: 'Fatma Demir',
    address: 'Hauptstraße 9',
    zip: '69117',
    city: 'Heidelberg',
    country: 'DE',
    employedSince: '2017-03-01',
  },
];

/** Employee 1007 left the company: archived in the registry. */
export const ARCHIVED_EMPLOYEES = ['1007'];

/** The payroll export, first month: German headers, as the payroll office sends it. */
export const PAYROLL_1: readonly Raw[] = [
  {
    number: '1001',
    name: 'Anna Müller',
    address: 'Schönhauser Allee 12',
    zip: '10437',
    city: 'Berlin',
    country: 'DE',
    workPhoneCode: '+49',
    workPhone: '0170 1234567',
    employedSince: '2019-04-01',
    active: 'ja',
  },
  {
    number: '1002',
    name: 'Jürgen Weiß',
    address: 'Eppendorfer Weg 211',
    zip: '20253',
    city: 'Hamburg',
    country: 'DE',
    workPhoneCode: '+49',
    workPhone: '0171 5556677',
    employedSince: '2020-01-15',
    active: 'ja',
  },
  {
    number: '1003',
    name: 'Sophie Schröder',
    address: 'Königstraße 5',
    zip: '70173',
    city: 'Stuttgart',
    country: 'DE',
    employedSince: '2021-06-01',
    active: 'ja',
  },
  {
    number: '1004',
    name: 'Mehmet Yılmaz',
    address: 'Keupstraße 31',
    zip: '51063',
    city: 'Köln',
    country: 'DE',
    workPhoneCode: '+49',
    workPhone: '0152 9876543',
    employedSince: '2018-09-01',
    active: 'ja',
  },
  {
    number: '1005',
    name: 'Katarzyna Nowak',
    address: 'Leipziger Straße 44',
    zip: '04109',
    city: 'Leipzig',
    country: 'DE',
    employedSince: '2022-02-01',
    active: 'ja',
  },
  {
    number: '1010',
    name: 'Lena Fischer',
    address: 'Bergstraße 17',
    zip: '01069',
    city: 'Dresden',
    country: 'DE',
    employedSince: '2026-11-01',
    active: 'ja',
  },
  {
    number: '1011',
    name: 'Paul Hoffmann',
    address: 'Neustadt 3',
    zip: '28195',
    city: 'Bremen',
    country: 'DE',
    employedSince: '2015-05-01',
    active: 'nein',
  },
  {
    number: '1012',
    name: 'Marie Schulz',
    address: 'Domplatz 2',
    zip: '48143',
    city: 'Münster',
    country: 'DE',
    employedSince: '2016-08-01',
    employedUntil: '2026-01-31',
    active: 'ja',
  },
];

/** The second month: Sophie Schröder (1003) is gone from payroll. */
export const PAYROLL_2: readonly Raw[] = PAYROLL_1.filter((r) => r.number !== '1003');

/** Employee whose sync the office disables (she is on long leave and paid by another unit). */
export const DISABLED_EMPLOYEE = '1005';

/** Customers in the registry before the first import. */
export const LOCAL_CUSTOMERS: readonly Raw[] = [
  {
    number: 'K2001',
    name: 'Bageriet Ørsted ApS',
    type: 'business',
    address: 'Ørstedsgade 4',
    zip: '1260',
    city: 'København K',
    country: 'DK',
    email: 'kontakt@oersted-bageri.dk',
    phone: '+45 33 12 34 56',
  },
  {
    number: 'K2002',
    name: 'Tandlæge Jørgensen',
    type: 'business',
    address: 'Søndergade 22',
    zip: '8000',
    city: 'Aarhus C',
    country: 'DK',
    phone: '+45 86 12 00 00',
  },
  {
    number: 'K2004',
    name: 'Kontorfællesskabet Nørrebro',
    type: 'business',
    address: 'Nørrebrogade 110',
    zip: '2200',
    city: 'København N',
    country: 'DK',
  },
  {
    number: 'K2005',
    name: 'Fysioterapi Åbyhøj',
    type: 'business',
    address: 'Silkeborgvej 300',
    zip: '8230',
    city: 'Åbyhøj',
    country: 'DK',
  },
  {
    number: 'K2007',
    name: 'Familien Søndergaard',
    type: 'private',
    address: 'Strandvejen 8',
    zip: '2900',
    city: 'Hellerup',
    country: 'DK',
  },
  {
    number: 'K2008',
    name: 'Café Blomsten',
    type: 'business',
    address: 'Vesterbrogade 50',
    zip: '1620',
    city: 'København V',
    country: 'DK',
    email: 'hej@blomsten.dk',
  },
];

/** The ERP's customer list, first export: Danish headers. */
export const ERP_1: readonly Raw[] = [
  {
    number: 'K2001',
    name: 'Bageriet Ørsted ApS',
    type: 'Erhverv',
    address: 'Ørstedsgade 4',
    zip: '1260',
    city: 'København K',
    country: 'DK',
    email: 'kontakt@oersted-bageri.dk',
    phone: '+45 33 12 34 56',
    ean: '5790000123452',
    active: 'ja',
  },
  {
    number: 'K2002',
    name: 'Tandlæge Jørgensen',
    type: 'Erhverv',
    address: 'Søndergade 22',
    zip: '8000',
    city: 'Århus C',
    country: 'DK',
    phone: '+45 86 12 00 00',
    active: 'ja',
  },
  {
    number: 'K2003',
    name: 'Café Æblehaven',
    type: 'Erhverv',
    address: 'Jægersborggade 14',
    zip: '2200',
    city: 'København N',
    country: 'DK',
    email: 'info@aeblehaven.dk',
    active: 'ja',
  },
  {
    number: 'K2005',
    name: 'Fysioterapi Åbyhøj',
    type: 'Erhverv',
    address: 'Silkeborgvej 300',
    zip: '8230',
    city: 'Åbyhøj',
    country: 'DK',
    active: 'ja',
  },
  {
    number: 'K2006',
    name: 'Hotel Skagen Strand',
    type: 'Erhverv',
    address: 'Strandvejen 1',
    zip: '9990',
    city: 'Skagen',
    country: 'DK',
    active: 'nej',
  },
  {
    number: 'K2007',
    name: 'Familien Søndergaard',
    type: 'Privat',
    address: 'Strandvejen 8',
    zip: '2900',
    city: 'Hellerup',
    country: 'DK',
    active: 'ja',
  },
  {
    number: 'K2008',
    name: 'Café Blomsten',
    type: 'Erhverv',
    address: 'Vesterbrogade 50',
    zip: '1620',
    city: 'København V',
    country: 'DK',
    email: 'hej@blomsten.dk',
    active: 'ja',
  },
];

/** The second export: Fysioterapi Åbyhøj (K2005) was deleted in the ERP. */
export const ERP_2: readonly Raw[] = ERP_1.filter((r) => r.number !== 'K2005');

/** A private household the office keeps out of sync. */
export const DISABLED_CUSTOMER = 'K2007';
