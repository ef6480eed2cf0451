import { createInterface } from 'node:readline';

/** Reads a line without echoing it when stdin is a terminal; reads the first line of piped input otherwise. */
export function readSecret(prompt: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const input = process.stdin;
    if (!input.isTTY) {
      const rl = createInterface({ input });
      let done = false;
      rl.once('line', (line) => {
        done = true;
        rl.close();
        resolvePromise(line);
      });
      rl.once('close', () => {
        if (!done) reject(new Error('no password given (set it in the environment or type it at the prompt)'));
      });
      return;
    }
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stderr.write('\n');
          resolvePromise(value);
          return;
        }
        if (ch === '\u0003') {
          input.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}
