// The `ai` command line's subcommand table. Each area registers its subcommands here:
// text (train, eval, cv, retrain, models, rollback) in ./ai.ts; photo subcommands register from
// their own module with one `registerAiCommand(...)` call per subcommand.

export interface AiCommand {
  /** One usage line, e.g. "train --data FILE --out DIR". */
  usage: string;
  /** Runs with the arguments after the subcommand name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

const COMMANDS = new Map<string, AiCommand>();

export function registerAiCommand(name: string, cmd: AiCommand): void {
  if (COMMANDS.has(name)) throw new Error(`ai subcommand ${name} registered twice`);
  COMMANDS.set(name, cmd);
}

export function aiCommand(name: string): AiCommand | undefined {
  return COMMANDS.get(name);
}

export function aiUsage(): string {
  return ['usage:', ...[...COMMANDS.entries()].map(([, c]) => `  ai ${c.usage}`)].join('\n');
}

export class UsageError extends Error {}

/** `--name value` / `--name=value` options and positional arguments. */
export function parseOptions(argv: string[], valued: readonly string[], flags: readonly string[] = []): {
  opts: Record<string, string>;
  flags: Set<string>;
  positional: string[];
} {
  const opts: Record<string, string> = {};
  const set = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (!x.startsWith('--')) {
      positional.push(x);
      continue;
    }
    const eq = x.indexOf('=');
    const name = (eq > 0 ? x.slice(2, eq) : x.slice(2)).trim();
    if (flags.includes(name)) {
      set.add(name);
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`);
    const v = eq > 0 ? x.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '') throw new UsageError(`--${name} needs a value`);
    opts[name] = v;
  }
  return { opts, flags: set, positional };
}

export const printJson = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
export const printError = (o: Record<string, unknown>) => process.stderr.write(JSON.stringify(o) + '\n');
