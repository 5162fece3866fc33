/**
 * Tryton 6.0 as a live remote side: customers are `party.party` records, employees `company.employee`
 * records with their party. Reads are a complete listing (ids, codes, `_timestamp`s) plus an incremental
 * read by create/write date that also polls addresses and contact mechanisms (their changes do not bump
 * the party); writes go through the party with `_timestamp` optimistic concurrency.
 */
import { fail } from '../../core/errors.js';
import type { EntityKind, FieldName, FieldValues } from '../../core/fields.js';
import type {
  ChangedRecords,
  LiveConnector,
  RemotePatch,
  RemoteRecord,
  RemoteRef,
  RemoteSnapshot,
} from '../../core/port.js';
import type { TrytonParty } from './mapping.js';
import { MAPPED_FIELDS, PARTY_READ, parseRecord, partyVersion, rawValues, toDate } from './mapping.js';
import type { TrytonDateTime } from './datetime.js';
import { fromDateTime, toDateTime } from './datetime.js';
import type { PartyWriteContext } from './party-writes.js';
import { childCreates, childWrites } from './party-writes.js';
import type { RpcOptions, TrytonConnection } from './rpc.js';
import { TrytonRpc } from './rpc.js';

export interface TrytonSettings {
  /** Customers: only parties in this category (by name); absent: every party that is not the company or an employee. */
  readonly category?: string;
}

interface EmployeeRow {
  readonly id: number;
  readonly party: number;
  readonly _timestamp: string;
  readonly start_date?: unknown;
  readonly end_date?: unknown;
}

const PAGE = 2000;

export function trytonConnector(
  entity: EntityKind,
  connection: TrytonConnection,
  settings: TrytonSettings,
  options: RpcOptions,
): TrytonConnector {
  return new TrytonConnector(entity, new TrytonRpc(connection, options), settings);
}

export class TrytonConnector implements LiveConnector {
  readonly capabilities = { fullRead: true, incrementalRead: true, write: true };
  readonly fields: readonly FieldName[];
  private readonly countries = new Map<string, number>();

  constructor(
    readonly entity: EntityKind,
    readonly rpc: TrytonRpc,
    private readonly settings: TrytonSettings,
  ) {
    this.fields = MAPPED_FIELDS[entity];
  }

  private get isCustomer(): boolean {
    return this.entity === 'customer';
  }

  private get rootModel(): string {
    return this.isCustomer ? 'party.party' : 'company.employee';
  }

  /** Inactive records too (the implicit `active` filter would hide them, even in sub-domains). */
  private readonly all = { active_test: false };

  async readFull(): Promise<RemoteSnapshot> {
    const refs = await this.listAll();
    const records = await this.read(refs.map((r) => r.id));
    return {
      fields: this.fields,
      warnings: [],
      async *rows() {
        let row = 0;
        for (const r of records)
          yield { row: ++row, number: r.number, values: r.values, problems: r.problems };
      },
    };
  }

  /** The parties that are never customers: the companies' and the employees'. */
  private async excludedParties(): Promise<Set<number>> {
    const companies = await this.searchRead('company.company', [], ['party']);
    const employees = await this.searchRead('company.employee', [], ['party']);
    return new Set([...companies, ...employees].map((r) => this.int(r.party, 'party')));
  }

  private customerDomain(): unknown[] {
    return this.settings.category ? [['categories.name', '=', this.settings.category]] : [];
  }

  async listAll(): Promise<RemoteRef[]> {
    if (this.isCustomer) {
      const excluded = await this.excludedParties();
      const rows = await this.searchRead('party.party', this.customerDomain(), ['id', 'code', '_timestamp']);
      return rows
        .filter((r) => !excluded.has(this.int(r.id, 'id')))
        .map((r) => ({ id: String(r.id), number: this.str(r.code), version: this.str(r._timestamp) }));
    }
    const rows = await this.searchRead(
      'company.employee',
      [],
      ['id', '_timestamp', 'party.code', 'party._timestamp'],
    );
    return rows.map((r) => {
      const party = r['party.'] as { code?: string; _timestamp?: string } | undefined;
      return {
        id: String(r.id),
        number: this.str(party?.code ?? ''),
        version: `${this.str(r._timestamp)}/${this.str(party?._timestamp ?? '')}`,
      };
    });
  }

  async readChanged(since: string | null): Promise<ChangedRecords> {
    if (since === null) {
      const refs = await this.listAll();
      const records = await this.read(refs.map((r) => r.id));
      return { records, watermark: await this.serverNow(records.length > 0) };
    }
    const when = toDateTime(since);
    const changed = [['OR', ['create_date', '>=', when], ['write_date', '>=', when]]];
    const stamps = ['id', 'create_date', 'write_date'];
    const parties = await this.searchRead('party.party', changed, stamps);
    const addresses = await this.searchRead('party.address', changed, [...stamps, 'party']);
    const mechanisms = await this.searchRead('party.contact_mechanism', changed, [...stamps, 'party']);
    // Every record changed in the window is read again, even one whose `_timestamp` equals the version
    // read last: `_timestamp` has 1-second resolution on SQLite and a transaction's time is its start, so
    // an equal stamp does not prove the record unchanged. Unchanged contents cost only a hash compare.
    const partyIds = new Set<number>([
      ...parties.map((r) => this.int(r.id, 'id')),
      ...addresses.map((r) => this.int(r.party, 'party')),
      ...mechanisms.map((r) => this.int(r.party, 'party')),
    ]);
    let ids: string[];
    const employeesChanged = this.isCustomer
      ? []
      : await this.searchRead('company.employee', changed, stamps);
    if (this.isCustomer) {
      const excluded = await this.excludedParties();
      const allowed = this.settings.category
        ? new Set(
            (
              await this.searchRead(
                'party.party',
                [['id', 'in', [...partyIds]], ...this.customerDomain()],
                ['id'],
              )
            ).map((r) => this.int(r.id, 'id')),
          )
        : partyIds;
      ids = [...partyIds].filter((id) => allowed.has(id) && !excluded.has(id)).map(String);
    } else {
      const byParty = await this.searchRead(
        'company.employee',
        [['OR', ['party', 'in', [...partyIds]], ['id', 'in', employeesChanged.map((r) => r.id)]]],
        ['id'],
      );
      ids = byParty.map((r) => String(r.id));
    }
    const records = await this.read(ids);
    const stampsSeen = [...parties, ...addresses, ...mechanisms, ...employeesChanged].flatMap((r) =>
      [r.create_date, r.write_date].filter((d) => d).map((d) => fromDateTime(d as TrytonDateTime)),
    );
    const latest = stampsSeen.reduce((a, b) => (b > a ? b : a), since);
    return { records, watermark: latest };
  }

  async latestChange(): Promise<string | null> {
    return this.serverNow(true);
  }

  /** The server's idea of now (the watermark of a first read): the newest create/write date there is. */
  private async serverNow(any: boolean): Promise<string | null> {
    if (!any) return null;
    const stamps = ['create_date', 'write_date'];
    const latest: string[] = [];
    for (const model of ['party.party', 'party.address', 'party.contact_mechanism', 'company.employee']) {
      for (const field of stamps) {
        const rows = await this.rpc.model(
          model,
          'search_read',
          [[[field, '!=', null]], 0, 1, [[field, 'DESC']], [field]],
          this.all,
        );
        const first = this.rows(rows, model)[0];
        if (first?.[field]) latest.push(fromDateTime(first[field] as TrytonDateTime));
      }
    }
    return latest.reduce<string | null>((a, b) => (a === null || b > a ? b : a), null);
  }

  async read(ids: readonly string[]): Promise<RemoteRecord[]> {
    const out: RemoteRecord[] = [];
    for (let i = 0; i < ids.length; i += PAGE) {
      const page = ids.slice(i, i + PAGE).map(Number);
      if (this.isCustomer) {
        const parties = (await this.searchRead(
          'party.party',
          [['id', 'in', page]],
          [...PARTY_READ],
        )) as unknown as TrytonParty[];
        for (const p of parties) out.push(this.record(String(p.id), partyVersion(p), p._timestamp, p));
      } else {
        const employees = (await this.searchRead(
          'company.employee',
          [['id', 'in', page]],
          ['id', 'party', '_timestamp', 'start_date', 'end_date'],
        )) as unknown as EmployeeRow[];
        const parties = (await this.searchRead(
          'party.party',
          [['id', 'in', employees.map((e) => this.int(e.party, 'party'))]],
          [...PARTY_READ],
        )) as unknown as TrytonParty[];
        const byId = new Map(parties.map((p) => [p.id, p]));
        for (const e of employees) {
          const p = byId.get(e.party);
          if (p)
            out.push(
              this.record(
                String(e.id),
                `${e._timestamp}/${partyVersion(p)}`,
                `${e._timestamp}/${p._timestamp}`,
                p,
                e,
              ),
            );
        }
      }
    }
    return out;
  }

  private record(
    id: string,
    version: string,
    listedVersion: string,
    p: TrytonParty,
    employee?: EmployeeRow,
  ): RemoteRecord {
    if (typeof p.id !== 'number' || typeof p._timestamp !== 'string')
      this.rpc.invalid('party.party.search_read', p);
    const { values, problems } = parseRecord(this.entity, rawValues(this.entity, p, employee), p.id);
    return {
      id,
      number: p.code ?? '',
      version,
      listedVersion,
      values,
      problems: problems.map((q) => ({ ...q, column: `${q.column} (${this.rootModel} ${id})` })),
    };
  }

  async findByNumbers(numbers: readonly string[]): Promise<RemoteRecord[]> {
    if (numbers.length === 0) return [];
    const parties = await this.searchRead('party.party', [['code', 'in', [...numbers]]], ['id']);
    if (parties.length === 0) return [];
    if (this.isCustomer) return this.read(parties.map((p) => String(p.id)));
    const employees = await this.searchRead(
      'company.employee',
      [['party', 'in', parties.map((p) => p.id)]],
      ['id', 'party'],
    );
    return this.read(employees.map((e) => String(e.id)));
  }

  async create(records: readonly FieldValues[]): Promise<RemoteRecord[]> {
    if (records.length === 0) return [];
    const parties = [];
    for (const values of records)
      parties.push({
        code: values.number,
        name: values.name,
        ...(values.active === 'false' ? { active: false } : {}),
        ...(await childCreates(values, this.writeContext)),
      });
    const ids = this.isCustomer
      ? await this.createParties(parties)
      : await this.createEmployees(records, parties);
    const byId = new Map((await this.read(ids.map(String))).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(String(id)) ?? this.rpc.invalid(`${this.rootModel}.read`, id));
  }

  private async createParties(parties: readonly Record<string, unknown>[]): Promise<number[]> {
    if (parties.length === 0) return [];
    const ids = this.ids(await this.rpc.model('party.party', 'create', [parties]), 'party.party.create');
    if (ids.length !== parties.length) this.rpc.invalid('party.party.create', ids);
    return ids;
  }

  /**
   * An employee is two creates, each its own transaction in Tryton: the party, then the employee on it.
   * When the second is refused (a user without employee rights), the party made for it is deleted again,
   * and the employee's refusal is what is reported: left behind, the party made every retry fail on its
   * code ("must be unique") and showed up among the customers. A party that an earlier attempt left
   * behind all the same (its deletion refused too) — the same code and name, no employee on it — is
   * taken instead of a new one, so that a retry heals once the rights are there.
   */
  private async createEmployees(
    records: readonly FieldValues[],
    parties: readonly Record<string, unknown>[],
  ): Promise<number[]> {
    const left = await this.leftoverParties(records);
    const fresh = parties.filter((p) => !left.has(String(p.code)));
    const made = await this.createParties(fresh);
    const madeFor = new Map(fresh.map((p, i) => [String(p.code), made[i]!]));
    const employees = records.map((values) => ({
      party: left.get(values.number ?? '') ?? madeFor.get(values.number ?? ''),
      start_date: toDate(values.employedSince ?? ''),
      end_date: toDate(values.employedUntil ?? ''),
    }));
    try {
      return this.ids(
        await this.rpc.model('company.employee', 'create', [employees]),
        'company.employee.create',
      );
    } catch (error) {
      if (made.length > 0) await this.rpc.model('party.party', 'delete', [made]).catch(() => undefined);
      throw error;
    }
  }

  /** Parties with the records' codes and names that no employee holds: left by a refused create. */
  private async leftoverParties(records: readonly FieldValues[]): Promise<Map<string, number>> {
    const codes = records.map((r) => r.number ?? '').filter((c) => c !== '');
    if (codes.length === 0) return new Map();
    const found = await this.searchRead('party.party', [['code', 'in', codes]], ['id', 'code', 'name']);
    if (found.length === 0) return new Map();
    const held = await this.searchRead(
      'company.employee',
      [['party', 'in', found.map((p) => p.id)]],
      ['party'],
    );
    const taken = new Set(held.map((e) => e.party));
    const names = new Map(records.map((r) => [r.number ?? '', r.name ?? '']));
    return new Map(
      found
        .filter((p) => !taken.has(p.id) && names.get(String(p.code)) === p.name)
        .map((p) => [String(p.code), this.int(p.id, 'party')]),
    );
  }

  async update(ref: Pick<RemoteRef, 'id' | 'version'>, patch: RemotePatch): Promise<RemoteRecord> {
    const current = await this.readOne(ref.id);
    // Tryton checks `_timestamp` too, but only to the second on SQLite: compare what it holds now first.
    if (current.version !== ref.version)
      fail('remote_changed', `The ${this.rootModel} record ${ref.id} was changed in Tryton meanwhile.`);
    const { partyId, stamps } = this.stamps(ref, current);
    const party = await this.readParty(partyId);
    const partyVals: Record<string, unknown> = {};
    if (patch.number !== undefined) partyVals.code = patch.number;
    if (patch.name !== undefined) partyVals.name = patch.name;
    if (patch.active !== undefined) partyVals.active = patch.active !== 'false';
    Object.assign(partyVals, await childWrites(party, patch, this.writeContext));
    const writes: Promise<unknown>[] = [];
    if (Object.keys(partyVals).length > 0)
      writes.push(this.rpc.model('party.party', 'write', [[partyId], partyVals], { _timestamp: stamps }));
    await Promise.all(writes);
    if (!this.isCustomer && (patch.employedSince !== undefined || patch.employedUntil !== undefined)) {
      const emp: Record<string, unknown> = {};
      if (patch.employedSince !== undefined) emp.start_date = toDate(patch.employedSince);
      if (patch.employedUntil !== undefined) emp.end_date = toDate(patch.employedUntil);
      await this.rpc.model('company.employee', 'write', [[Number(ref.id)], emp], { _timestamp: stamps });
    }
    return this.readOne(ref.id);
  }

  async remove(
    ref: Pick<RemoteRef, 'id' | 'version'>,
    how: 'delete' | 'deactivate',
    today: string,
  ): Promise<void> {
    const current = (await this.read([ref.id]))[0];
    if (!current) return; // gone already: what was asked is done
    if (current.version !== ref.version)
      fail('remote_changed', `The ${this.rootModel} record ${ref.id} was changed in Tryton meanwhile.`);
    const { partyId, stamps } = this.stamps(ref, current);
    if (how === 'deactivate') {
      if (this.isCustomer) {
        await this.rpc.model('party.party', 'write', [[partyId], { active: false }], { _timestamp: stamps });
      } else {
        await this.rpc.model(
          'company.employee',
          'write',
          [[Number(ref.id)], { end_date: toDate(lastDay(today, current.values.employedSince)) }],
          {
            _timestamp: stamps,
          },
        );
      }
      return;
    }
    if (!this.isCustomer)
      await this.rpc.model('company.employee', 'delete', [[Number(ref.id)]], { _timestamp: stamps });
    await this.rpc.model('party.party', 'delete', [[partyId]], { _timestamp: stamps });
  }

  async close(): Promise<void> {
    await this.rpc.logout();
  }

  /**
   * The `_timestamp` context of a guarded write: the version this side last read. A record whose version
   * moved since is refused by Tryton (ConcurrencyException), which is what the caller wants to hear.
   */
  private stamps(
    ref: Pick<RemoteRef, 'id' | 'version'>,
    current: RemoteRecord,
  ): { partyId: number; stamps: Record<string, string> } {
    if (this.isCustomer)
      return { partyId: Number(ref.id), stamps: { [`party.party,${ref.id}`]: ref.version.split('~')[0]! } };
    const [emp = '', version = ''] = ref.version.split('/');
    const party = version.split('~')[0]!;
    const partyId =
      this.partyOf.get(ref.id) ??
      fail('remote_invalid_answer', `Employee ${current.id} has no party in Tryton.`);
    return {
      partyId,
      stamps: { [`company.employee,${ref.id}`]: emp, [`party.party,${partyId}`]: party },
    };
  }

  private readonly partyOf = new Map<string, number>();

  private get writeContext(): PartyWriteContext {
    return { isCustomer: this.isCustomer, countryId: (code) => this.countryId(code) };
  }

  private async readOne(id: string): Promise<RemoteRecord> {
    const found = (await this.read([id]))[0];
    if (!found)
      fail('remote_refused', `The ${this.rootModel} record ${id} does not exist in Tryton any more.`);
    return found;
  }

  private async readParty(partyId: number): Promise<TrytonParty> {
    const rows = (await this.searchRead(
      'party.party',
      [['id', '=', partyId]],
      [...PARTY_READ],
    )) as unknown as TrytonParty[];
    return rows[0] ?? this.rpc.invalid('party.party.search_read', rows);
  }

  private async countryId(code: string): Promise<number> {
    const known = this.countries.get(code);
    if (known !== undefined) return known;
    const rows = await this.searchRead('country.country', [['code', '=', code]], ['id']);
    if (rows.length === 0)
      fail('remote_refused', `Tryton has no country with the code ${code}; add it there (Countries) first.`);
    const id = this.int(rows[0]!.id, 'id');
    this.countries.set(code, id);
    return id;
  }

  private async searchRead(
    model: string,
    domain: unknown[],
    fields: readonly string[],
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += PAGE * 5) {
      const rows = this.rows(
        await this.rpc.model(
          model,
          'search_read',
          [domain, offset, PAGE * 5, [['id', 'ASC']], fields],
          this.all,
        ),
        `${model}.search_read`,
      );
      out.push(...rows);
      if (rows.length < PAGE * 5) break;
    }
    if (model === 'company.employee' && fields.includes('party'))
      for (const r of out) this.partyOf.set(String(r.id), this.int(r.party, 'party'));
    return out;
  }

  private rows(result: unknown, method: string): Record<string, unknown>[] {
    if (
      !Array.isArray(result) ||
      result.some(
        (r) => r === null || typeof r !== 'object' || typeof (r as { id?: unknown }).id !== 'number',
      )
    )
      return this.rpc.invalid(method, result);
    return result as Record<string, unknown>[];
  }

  private ids(result: unknown, method: string): number[] {
    if (!Array.isArray(result) || result.length === 0 || result.some((r) => typeof r !== 'number'))
      return this.rpc.invalid(method, result);
    return result as number[];
  }

  private int(v: unknown, what: string): number {
    if (typeof v !== 'number') return this.rpc.invalid(`${this.rootModel} (${what})`, v);
    return v;
  }

  private str(v: unknown): string {
    if (typeof v !== 'string') return this.rpc.invalid(this.rootModel, v);
    return v;
  }
}

/**
 * The last day of an employment that ends now: yesterday, so that the employee is inactive at once (an
 * end date of today is still a working day: SYNC.md §3, inactive once `employedUntil` is past) and the
 * record does not come back as `new` in the same round — but not before the employment began.
 */
function lastDay(today: string, since: string | undefined): string {
  const day = new Date(`${today}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  const yesterday = day.toISOString().slice(0, 10);
  return since && since > yesterday ? since : yesterday;
}
