import { allow, type IRules } from '@commerce/platform';

/** Who may do what. The fallback is deny: a new type or field is closed until listed here. */
export const permissions: IRules = {
  Query: { analyticsStatus: allow },
};
