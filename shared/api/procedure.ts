import type { z } from 'zod';
import type { Role } from '../domain/vocabularies.ts';

/**
 * Who may call a procedure: anyone (signing in), any signed-in user, or the listed roles. Finer rules
 * (allocation to a case, the user's unit) are checked by the implementation, which knows the record.
 */
export type Access = 'public' | 'signed_in' | readonly Role[];

export interface Procedure<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** One line for people reading the contract, and for the API's own listing. */
  summary: string;
  /** Changes the store: the dispatcher refuses it for a read-only session and the hosts never cache it. */
  mutates: boolean;
}

export function procedure<I extends z.ZodType, O extends z.ZodType>(def: Procedure<I, O>): Procedure<I, O> {
  return def;
}
