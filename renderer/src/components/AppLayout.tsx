import { Alert, AppShell, Badge, Box, Button, Group, NavLink, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { IconBook, IconChartBar, IconChecklist, IconClockExclamation, IconCloud, IconEye, IconFileImport, IconListDetails, IconLogout, IconPlus, IconRoute, IconScan, IconSearch, IconShieldCheck, IconShieldLock, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import { ROLE_LABELS, NATIONAL_ROLES } from '../../../shared/domain/vocabularies.ts';
import { unitName } from '../../../shared/domain/units.ts';
import { href, navigate, useRoute } from '../router.ts';
import { QueueScreen } from '../screens/QueueScreen.tsx';
import { AllegationScreen } from '../screens/AllegationScreen.tsx';
import { SearchScreen } from '../screens/SearchScreen.tsx';
import { UsersScreen } from '../screens/UsersScreen.tsx';
import { AllegationFormScreen } from '../screens/AllegationFormScreen.tsx';
import { ImportScreen } from '../screens/ImportScreen.tsx';
import { RoutingScreen } from '../screens/RoutingScreen.tsx';
import { NsuScreen } from '../screens/NsuScreen.tsx';
import { ReportScreen } from '../screens/ReportScreen.tsx';
import { AuditScreen } from '../screens/AuditScreen.tsx';
import { NotFound } from './NotFound.tsx';
import { ScansScreen } from '../screens/ScansScreen.tsx';
import { useScanCount } from './attachments/useScanCount.ts';
import { EntityScreen } from '../screens/EntityScreen.tsx';
import { WatchScreen } from '../screens/WatchScreen.tsx';
import { ChangePassword } from './ChangePassword.tsx';
import { TimeCriticalAlerts, useTimeCriticalCount } from './TimeCriticalAlerts.tsx';
import { MiScreen } from '../screens/MiScreen.tsx';
import { MiRecordsScreen } from '../screens/MiRecordsScreen.tsx';
import { GuidanceScreen } from '../screens/GuidanceScreen.tsx';
import { FollowUpsScreen } from '../screens/FollowUpsScreen.tsx';
import { QaScreen } from '../screens/QaScreen.tsx';
import { MI_ROLES } from '../../../shared/api/mi.ts';
import { SyncScreen } from '../screens/SyncScreen.tsx';
import { SyncIndicator } from './sync/SyncIndicator.tsx';
import { useSyncStatus } from './sync/useSyncStatus.ts';

interface Props {
  user: UserView;
  onSignOut: () => void;
  /** What the person should know about their sign-in (signed in offline, desk awaiting approval). */
  notice?: string | null | undefined;
}

export function AppLayout({ user, onSignOut, notice }: Props) {
  const route = useRoute();
  const sync = useSyncStatus();
  const [noticeShown, setNoticeShown] = useState(Boolean(notice));
  // A sign-in notice (offline, awaiting approval) is over once the desk is approved and has reached the server; it
  // does not come back when the server later drops out (the header says Offline then).
  const settled = sync.status?.registration === 'approved' && sync.status.connection === 'online';
  if (settled && noticeShown) setNoticeShown(false);
  useHotkeys([
    ['/', () => navigate({ name: 'search' })],
    ['mod+K', () => navigate({ name: 'search' })],
    ['N', () => user.role !== 'nsu' && navigate({ name: 'new' })],
    ['G', () => navigate({ name: 'queue' })],
  ]);
  const national = NATIONAL_ROLES.includes(user.role);
  const scanCount = useScanCount(['sifter', 'manager', 'admin'].includes(user.role));
  const timeCritical = useTimeCriticalCount(['duty_manager', 'manager'].includes(user.role));

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header style={{ background: 'var(--mantine-color-indigo-9)', borderBottom: 0 }}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <ThemeIcon size={30} variant="white" radius="sm" aria-hidden>
              <IconShieldLock size={18} color="var(--mantine-color-indigo-8)" />
            </ThemeIcon>
            <Title order={1} size="h4" c="white">
              IMS Desk
            </Title>
            <Badge variant="light" color="gray.0" c="white" bg="rgba(255,255,255,0.15)" ml="xs">
              {user.unit ? unitName(user.unit) : 'National'}
            </Badge>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {sync.status && <SyncIndicator status={sync.status} />}
            <Box ta="right">
              <Text size="sm" c="white" fw={600} lh={1.2}>
                {user.displayName}
              </Text>
              <Text size="xs" c="indigo.1" lh={1.2}>
                {ROLE_LABELS[user.role]}
              </Text>
            </Box>
            <ChangePassword />
            <Tooltip label="Sign out">
              <Button variant="subtle" color="gray.0" c="white" size="compact-sm" onClick={onSignOut} leftSection={<IconLogout size={16} />}>
                Sign out
              </Button>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      {/* An administrator's or manager's list is longer than a 720 px window: it scrolls rather than hides links. */}
      <AppShell.Navbar p="xs" aria-label="Main" style={{ overflowY: 'auto' }}>
        <Stack gap={2}>
          <NavLink
            href={href({ name: 'queue' })}
            label={
              <Group gap={6} wrap="nowrap">
                Work queue
                {timeCritical > 0 && (
                  <Badge size="xs" color="red" aria-label={`${timeCritical} time-critical`} data-testid="time-critical-count">
                    {timeCritical}
                  </Badge>
                )}
              </Group>
            }
            description={national ? 'Any unit' : unitName(user.unit)}
            leftSection={<IconListDetails size={18} />}
            active={route.name === 'queue'}
          />
          {user.role !== 'nsu' && (
            <NavLink href={href({ name: 'new' })} label="New allegation" description="Press N anywhere" leftSection={<IconPlus size={18} />} active={route.name === 'new'} />
          )}
          <NavLink href={href({ name: 'search' })} label="Search" description="Press / anywhere" leftSection={<IconSearch size={18} />} active={route.name === 'search' || route.name === 'entity'} />
          <NavLink href={href({ name: 'watch' })} label="Watch list" description="What you follow" leftSection={<IconEye size={18} />} active={route.name === 'watch'} />
          {['sifter', 'manager', 'admin'].includes(user.role) && (
            <NavLink
              href={href({ name: 'scans' })}
              label={
                <Group gap={6} wrap="nowrap">
                  Scan inbox
                  {scanCount > 0 && (
                    <Badge size="xs" color="indigo" aria-label={`${scanCount} waiting`}>
                      {scanCount}
                    </Badge>
                  )}
                </Group>
              }
              description="Scans awaiting an allegation"
              leftSection={<IconScan size={18} />}
              active={route.name === 'scans'}
            />
          )}
          {['sifter', 'manager', 'admin'].includes(user.role) && (
            <NavLink href={href({ name: 'import' })} label="Import" description="Files of online forms" leftSection={<IconFileImport size={18} />} active={route.name === 'import'} />
          )}
          {user.role === 'nsu' && <NavLink href={href({ name: 'nsu' })} label="Repeat referrers" description="NSU workspace" leftSection={<IconUsersGroup size={18} />} active={route.name === 'nsu'} />}
          {(user.role === 'sacu' || user.role === 'admin') && (
            <NavLink href={href({ name: 'audit' })} label="Source access" description="Audit for SACU" leftSection={<IconShieldCheck size={18} />} active={route.name === 'audit'} />
          )}
          {sync.status?.configured && (
            <NavLink
              href={href({ name: 'sync' })}
              label={
                <Group gap={6} wrap="nowrap">
                  Sync
                  {sync.status.myConflicts > 0 && (
                    <Badge size="xs" color="red.9" aria-label={`${sync.status.myConflicts} conflicts for you`}>
                      {sync.status.myConflicts}
                    </Badge>
                  )}
                </Group>
              }
              description="Server and conflicts"
              leftSection={<IconCloud size={18} />}
              active={route.name === 'sync'}
            />
          )}
          {user.role === 'admin' && <NavLink href={href({ name: 'routing' })} label="Routing" description="Postcode → unit table" leftSection={<IconRoute size={18} />} active={route.name === 'routing'} />}
          {['analyst', 'duty_manager', 'compliance_officer', 'manager', 'admin'].includes(user.role) && (
            <NavLink href={href({ name: 'followups' })} label="Follow-ups" description="Actions awaiting results" leftSection={<IconClockExclamation size={18} />} active={route.name === 'followups'} />
          )}
          {user.role === 'manager' && <NavLink href={href({ name: 'qa' })} label="Sample checks" description="Monthly assurance" leftSection={<IconChecklist size={18} />} active={route.name === 'qa'} />}
          {(MI_ROLES as readonly string[]).includes(user.role) && (
            <NavLink href={href({ name: 'mi', scope: {} })} label="Management information" description="Timeliness, outcomes, quality" leftSection={<IconChartBar size={18} />} active={route.name === 'mi' || route.name === 'mi-records'} />
          )}
          <NavLink href={href({ name: 'guidance' })} label="Guidance" description="What to do at each step" leftSection={<IconBook size={18} />} active={route.name === 'guidance'} />
          {(user.role === 'admin' || user.role === 'manager') && (
            <NavLink href={href({ name: 'users' })} label="Users" description="Local accounts" leftSection={<IconUsers size={18} />} active={route.name === 'users'} />
          )}
        </Stack>
      </AppShell.Navbar>
      <TimeCriticalAlerts user={user} />
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        {notice && noticeShown && !settled && (
          <Alert color="yellow" mb="md" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNoticeShown(false)} role="status">
            {notice}
          </Alert>
        )}
        {route.name === 'queue' && <QueueScreen user={user} bucket={route.bucket} unit={route.unit} view={route.view} />}
        {route.name === 'allegation' && <AllegationScreen reference={route.reference} user={user} tab={route.tab} place={route.place} q={route.q} />}
        {route.name === 'new' && <AllegationFormScreen draftId={route.draft} scanId={route.scan} />}
        {route.name === 'edit' && <AllegationFormScreen reference={route.reference} draftId={route.draft} added={route.added} />}
        {route.name === 'scans' && <ScansScreen user={user} />}
        {route.name === 'report' && <ReportScreen reference={route.reference} />}
        {route.name === 'import' && <ImportScreen />}
        {route.name === 'routing' && <RoutingScreen user={user} />}
        {route.name === 'nsu' && <NsuScreen />}
        {route.name === 'audit' && <AuditScreen />}
        {route.name === 'search' && <SearchScreen q={route.q} filters={route.filters} saved={route.saved} user={user} />}
        {route.name === 'users' && <UsersScreen user={user} />}
        {route.name === 'entity' && <EntityScreen key={`${route.kind}:${route.value}`} kind={route.kind} value={route.value} tab={route.tab} />}
        {route.name === 'watch' && <WatchScreen />}
        {route.name === 'mi' && <MiScreen key={JSON.stringify(route.scope)} user={user} scope={route.scope} />}
        {route.name === 'mi-records' && <MiRecordsScreen scope={route.scope} group={route.group} keyName={route.key} rowBy={route.rowBy} rowKey={route.rowKey} />}
        {route.name === 'guidance' && <GuidanceScreen key={`${route.step ?? ''}:${route.q ?? ''}`} step={route.step} q={route.q} />}
        {route.name === 'followups' && <FollowUpsScreen user={user} unit={route.unit} view={route.view} />}
        {route.name === 'qa' && <QaScreen key={`${route.unit ?? ''}:${route.month ?? ''}`} user={user} unit={route.unit} month={route.month} />}
        {route.name === 'sync' && <SyncScreen />}
        {route.name === 'not-found' && <NotFound />}
      </AppShell.Main>
    </AppShell>
  );
}
