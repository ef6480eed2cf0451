import { z } from 'zod';
import { ROLES } from '../domain/vocabularies.ts';
import { isoDateTime, uuid } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

export const username = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9._-]+$/i, 'may use letters, digits, dots, hyphens and underscores');
export const password = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');

export const userView = z.object({
  id: uuid,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  unit: z.string().nullable(),
  active: z.boolean(),
  createdAt: isoDateTime,
});
export type UserView = z.infer<typeof userView>;

export const newUser = z.object({
  username,
  displayName: z.string().trim().min(1, 'is required').max(120),
  role: z.enum(ROLES),
  unit: z.string().nullable(),
  password,
});

export const authApi = {
  'auth.status': procedure({
    summary: 'Whether this desk has any accounts yet (first run shows set-up instead of sign-in).',
    access: 'public',
    mutates: false,
    input: z.object({}),
    output: z.object({
      needsSetup: z.boolean(),
      deskName: z.string(),
      /** The central server people sign in against (null: this desk works alone, with local accounts). */
      server: z.object({ url: z.string(), deskName: z.string(), unit: z.string() }).nullable().default(null),
    }),
  }),
  'auth.setup': procedure({
    summary: 'First run only: create the first administrator account and sign in as it.',
    access: 'public',
    mutates: true,
    input: newUser.omit({ role: true, unit: true }),
    output: z.object({ sessionToken: z.string(), user: userView }),
  }),
  'auth.signIn': procedure({
    summary: "Sign in: against the central server when the desk has one (offline with this desk's verifier when it cannot be reached), else with a local account.",
    access: 'public',
    mutates: false,
    input: z.object({ username: z.string().trim().min(1, 'is required').max(64), password: z.string().min(1, 'is required').max(200) }),
    output: z.object({
      sessionToken: z.string(),
      user: userView,
      /** Signed in with this desk's verifier because the server could not be reached. */
      offline: z.boolean().default(false),
      /** What the person should know about this sign-in (offline, desk awaiting approval). */
      notice: z.string().nullable().default(null),
    }),
  }),
  'auth.signOut': procedure({
    summary: 'End this session.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: z.object({}),
  }),
  'auth.me': procedure({
    summary: 'The signed-in user.',
    access: 'signed_in',
    mutates: false,
    input: z.object({}),
    output: userView,
  }),
  'users.list': procedure({
    summary: 'Every local account, with whether it is locked after failed sign-ins.',
    access: ['admin', 'manager'],
    mutates: false,
    input: z.object({}),
    output: z.array(userView.extend({ locked: z.boolean(), failedSignIns: z.number().int() })),
  }),
  'users.create': procedure({
    summary: 'Add a local account with a role and unit.',
    access: ['admin'],
    mutates: true,
    input: newUser,
    output: userView,
  }),
  'users.update': procedure({
    summary: "Change an account's name, role, unit or active flag, or reset its password.",
    access: ['admin'],
    mutates: true,
    input: z.object({
      id: uuid,
      displayName: z.string().trim().min(1).max(120).optional(),
      role: z.enum(ROLES).optional(),
      unit: z.string().nullable().optional(),
      active: z.boolean().optional(),
      password: password.optional(),
    }),
    output: userView,
  }),
  'users.unlock': procedure({
    summary: 'Lift the lock (and the back-off) that failed sign-ins put on an account; audited.',
    access: ['admin'],
    mutates: true,
    input: z.object({ id: uuid }),
    output: z.object({ locked: z.boolean(), failedSignIns: z.number().int() }),
  }),
} as const;
