// The models' command line, for IT staff and for measurement. JSON lines on stdout; every error is
// one JSON line on stderr naming the file and row at fault; non-zero exit on error.
//
//   npm run -s ai -- train --data history.csv --out DIR [--folds 5] [--no-embeddings]
//   npm run -s ai -- eval --model DIR --data test.csv
//   npm run -s ai -- cv --data history.csv [--folds 5]
//   npm run -s ai -- retrain --db STORE           (the street's model from its own ticket history)
//   npm run -s ai -- models --db STORE            (versions kept, which one is current)
//   npm run -s ai -- rollback --db STORE --version V
//
// Exit codes: 0 done, 1 rejected (bad input, nothing written), 2 wrong usage.
// Subcommands live in a table (./aiCommands); other areas register theirs with one import below.

import { aiCommand, aiUsage, printError, UsageError } from './aiCommands';
import { DatasetError } from '../ai/dataset';
import './aiText';
import './aiPhoto';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name ? aiCommand(name) : undefined;
  if (!cmd) {
    process.stderr.write((name ? `unknown subcommand: ${name}\n` : '') + aiUsage() + '\n');
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${aiUsage()}\n`);
      return 2;
    }
    if (e instanceof DatasetError) {
      printError({ file: e.file, ...(e.row != null ? { row: e.row } : {}), reason: e.reason, detail: e.message });
      return 1;
    }
    printError({ error: 'failed', detail: e instanceof Error ? e.message : String(e) });
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    printError({ error: 'failed', detail: String(e) });
    process.exit(1);
  },
);
