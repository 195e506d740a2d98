/** What the entity resolvers hand on: the reference itself (every list is computed from memory when asked for). */
export interface ProductRef {
  id: string;
}

export interface CustomerRef {
  id: string;
}
