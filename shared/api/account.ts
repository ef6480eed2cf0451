// What a signed-in person does to their own account.
import { z } from 'zod';
import { password } from './auth.ts';
import { procedure } from './procedure.ts';

export const accountApi = {
  'auth.changePassword': procedure({
    summary: 'Change your own password: your current one first, then the new one (at least 10 characters).',
    access: 'signed_in',
    mutates: true,
    input: z.object({ current: z.string().min(1, 'is required').max(200), next: password }),
    output: z.object({}),
  }),
} as const;
