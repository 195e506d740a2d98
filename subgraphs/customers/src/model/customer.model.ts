import { Schema, type Connection, type Model } from 'mongoose';
import { ROLES, type Role } from '@commerce/platform';

/**
 * The customers collection. One document per account; `email` is unique (the unique index is what
 * makes sign-up race-safe: two sign-ups with one email cannot both insert). Documents are written
 * through the outbox committer only: insert at version 1, then one version-claimed commit per
 * change (a role grant or revocation), never updated in place by a second writer.
 */
export const CUSTOMERS_COLLECTION = 'customers';
/** CUSTOMER, ADMIN, SUPPORT_AGENT: the platform's list, one place to change */
export { ROLES };

export interface CustomerDoc {
  _id: string; // cust_…
  email: string; // trimmed, lower-cased
  name: string;
  passwordHash: string; // scrypt$N$r$p$salt$hash
  roles: Role[];
  createdAt: Date;
  /** when the customer proved they receive mail at `email` (a verification or reset code); absent/null: not yet */
  emailVerifiedAt?: Date | null;
  version: number;
}

/** A customer as the rest of the service sees it: never the password hash. */
export type CustomerRecord = Omit<CustomerDoc, 'passwordHash'>;

const customerSchema = new Schema<CustomerDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    // not selected unless asked for (`.select('+passwordHash')`, log-in only)
    passwordHash: { type: String, required: true, select: false },
    roles: { type: [String], enum: ROLES, required: true },
    createdAt: { type: Date, required: true },
    emailVerifiedAt: { type: Date, required: false },
    version: { type: Number, required: true },
  },
  { collection: CUSTOMERS_COLLECTION, versionKey: false },
);
customerSchema.index({ email: 1 }, { unique: true, name: 'email_unique' });

export type CustomerModel = Model<CustomerDoc>;

/** Registers the model on the service's own connection (indexes are created by ensureIndexes). */
export function customerModel(conn: Connection): CustomerModel {
  return (conn.models.Customer as CustomerModel | undefined) ?? conn.model<CustomerDoc>('Customer', customerSchema);
}
