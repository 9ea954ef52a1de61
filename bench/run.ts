// `npm run bench [-- PART] [--tickets N]`: runs the benchmarks and prints one JSON line per figure
// on stdout (progress on stderr), following DESIGN.md's measurement conventions.
import { benchStore } from './store';
import { benchGrids } from './grids';
import { benchAiPhoto } from './aiPhoto';
import { benchAi } from './ai';
import { benchSync } from './sync';
import { benchCoordination } from './coordination';
import { benchSecurity } from './security';
import { benchIntake } from './intake';
import { benchAnalytics } from './analytics';
import { benchPlaces } from './places';

const PARTS: Record<string, (args: string[]) => Promise<void>> = {
  store: benchStore,
  grids: benchGrids,
  aiPhoto: benchAiPhoto,
  ai: benchAi,
  sync: benchSync,
  coordination: benchCoordination,
  security: benchSecurity,
  intake: benchIntake,
  analytics: benchAnalytics,
  places: benchPlaces,
};

async function main() {
  const args = process.argv.slice(2);
  const part = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
  if (part && !PARTS[part]) {
    process.stderr.write(`bench: unknown part "${part}" (known: ${Object.keys(PARTS).join(', ')})\n`);
    process.exit(2);
  }
  for (const [name, fn] of Object.entries(PARTS)) if (!part || part === name) await fn(args);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
