import type { Kysely, Transaction } from 'kysely';
import type { Tables } from './schema.js';

/** A connection or a transaction: repositories run on either. */
export type Executor = Kysely<Tables> | Transaction<Tables>;
