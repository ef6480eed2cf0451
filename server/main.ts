// `npm run server -- [--data DIR] [--host H] [--port N] [--tls-cert FILE --tls-key FILE]`
// Embedded default: PGlite in DIR/pglite (nothing to install). With DATABASE_URL set, the same server runs on that
// PostgreSQL. Blobs, the audit key and the first-run bootstrap token live in DIR either way.
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, defaultDataDir } from './config.ts';
import { redact } from './db/postgres.ts';
import { startServer } from './server.ts';
import { BOOTSTRAP_FILE } from './bootstrap.ts';
import { join } from 'node:path';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(`Usage: npm run server -- [--data DIR] [--host ADDRESS] [--port N] [--tls-cert FILE --tls-key FILE]
  --data DIR      data folder (default ${defaultDataDir()}): PGlite database, blobs, audit key
  --host ADDRESS  where to listen (default 127.0.0.1); any non-loopback address needs TLS
  --port N        port (default ${DEFAULT_PORT})
  DATABASE_URL    run on this PostgreSQL instead of the embedded PGlite
`);
  process.exit(0);
}

const certFile = values['tls-cert'] ?? process.env.IMS_SERVER_TLS_CERT;
const keyFile = values['tls-key'] ?? process.env.IMS_SERVER_TLS_KEY;
if (Boolean(certFile) !== Boolean(keyFile)) {
  process.stderr.write('TLS needs both a certificate and its key: give --tls-cert FILE and --tls-key FILE\n');
  process.exit(2);
}
const dataDir = values.data ?? process.env.IMS_SERVER_DATA ?? defaultDataDir();
const databaseUrl = process.env.DATABASE_URL || null;
const port = Number(values.port ?? process.env.IMS_SERVER_PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`Not a port: ${values.port}\n`);
  process.exit(2);
}

try {
  const server = await startServer({
    dataDir,
    databaseUrl,
    host: values.host ?? process.env.IMS_SERVER_HOST ?? '127.0.0.1',
    port,
    tls: certFile && keyFile ? { certFile, keyFile } : null,
    logger: !values.quiet,
  });
  process.stderr.write(`IMS server listening on ${server.url} (${databaseUrl ? `PostgreSQL ${redact(databaseUrl)}` : `PGlite in ${join(dataDir, 'pglite')}`}; data in ${dataDir})\n`);
  if (server.bootstrapToken) {
    process.stderr.write(
      `\nFirst run: no administrator yet. Create the first one with this one-time token (also in ${join(dataDir, BOOTSTRAP_FILE)}):\n\n  ${server.bootstrapToken}\n\n` +
        `  curl -X POST ${server.url}/v1/bootstrap -H 'content-type: application/json' \\\n    -d '{"token":"…","username":"…","displayName":"…","password":"…"}'\n\n`,
    );
  }
  const stop = async (signal: string) => {
    process.stderr.write(`${signal}: closing\n`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  process.stderr.write(`The IMS server could not start: ${(error as Error).message}\n`);
  process.exit(1);
}
