// The `ai` command line (npm run -s ai -- SUBCOMMAND …): one table of subcommands, each area's
// module runs its own. Prints JSON lines; exit 0 done, 1 failed, 2 wrong usage.

import { PHOTO_USAGE, runPhotoCli } from './aiPhoto';

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  photo: runPhotoCli,
  compare: runPhotoCli,
  'photo-head': runPhotoCli,
};

const USAGE = `usage:\n${PHOTO_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const run = SUBCOMMANDS[argv[0] ?? ''];
  if (!run) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  return run(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${JSON.stringify({ error: 'failed', reason: '命令执行失败', detail: (e as Error).stack ?? String(e) })}\n`);
    process.exitCode = 1;
  },
);
