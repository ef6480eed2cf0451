import { useCallback, useEffect, useState } from 'react';
import { Center } from '@mantine/core';
import type { UserView } from '../../shared/api.ts';
import { call, hasSession, onSessionExpired, setSession } from './api/client.ts';
import { SignInScreen, type ServerInfo } from './screens/SignInScreen.tsx';
import { AppLayout } from './components/AppLayout.tsx';
import { Busy } from './components/Busy.tsx';

type AuthState = { phase: 'loading' } | { phase: 'signed-out'; needsSetup: boolean; deskName: string; server: ServerInfo | null; notice?: string } | { phase: 'signed-in'; user: UserView; notice?: string | null };

async function signedOut(notice?: string): Promise<AuthState> {
  try {
    const status = await call('auth.status', {});
    return { phase: 'signed-out', needsSetup: status.needsSetup, deskName: status.deskName, server: status.server, ...(notice ? { notice } : {}) };
  } catch (e) {
    return { phase: 'signed-out', needsSetup: false, deskName: 'IMS Desk', server: null, notice: (e as Error).message };
  }
}

export function App() {
  const [auth, setAuth] = useState<AuthState>({ phase: 'loading' });
  const showSignIn = useCallback((notice?: string) => void signedOut(notice).then(setAuth), []);

  useEffect(() => {
    const restore = hasSession()
      ? call('auth.me', {}).then(
          (user): AuthState => ({ phase: 'signed-in', user }),
          () => signedOut(),
        )
      : signedOut();
    void restore.then(setAuth);
    return onSessionExpired(() => showSignIn('Your session has ended. Sign in again to carry on.'));
  }, [showSignIn]);

  if (auth.phase === 'loading') {
    return (
      <Center h="100%">
        <Busy size="md" label="Loading IMS Desk" />
      </Center>
    );
  }
  if (auth.phase === 'signed-out') {
    return (
      <SignInScreen
        needsSetup={auth.needsSetup}
        deskName={auth.deskName}
        notice={auth.notice}
        server={auth.server}
        onServerConfigured={() => showSignIn()}
        onSignedIn={(token, user, notice) => {
          setSession(token);
          setAuth({ phase: 'signed-in', user, notice: notice ?? null });
        }}
      />
    );
  }
  return (
    <AppLayout
      user={auth.user}
      notice={auth.notice}
      onSignOut={async () => {
        await call('auth.signOut', {}).catch(() => undefined);
        setSession(null);
        // The next person to sign in starts at their own queue, not at what the last one had open.
        window.history.replaceState(null, '', '#/queue');
        showSignIn();
      }}
    />
  );
}
