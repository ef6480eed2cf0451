// Changing one's own password: the current one is asked for first (a session left open is not enough), then the
// account is updated through the same use-case an administrator's reset goes through, so it is audited alike.
import type { Store } from '../store/store.ts';
import type { UserRow } from './users.ts';
import { updateUser } from './users.ts';
import { verifyPassword } from '../../node/passwords.ts';
import { ApiError } from '../../shared/api/errors.ts';

export async function changeOwnPassword(store: Store, user: UserRow, current: string, next: string): Promise<void> {
  if (!(await verifyPassword(current, user.password_hash))) {
    throw new ApiError('bad_request', 'Your current password is not right: nothing was changed', { current: 'is not your current password' });
  }
  if (current === next) throw new ApiError('bad_request', 'Choose a password different from the one you have', { next: 'is the same as your current password' });
  await updateUser(store, { userId: user.id, name: `${user.display_name} (${user.username})` }, { id: user.id, password: next });
}
