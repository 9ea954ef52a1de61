// Structured logs: one JSON line per entry on stderr (precise, English, for IT staff).

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(scope: string, sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) =>
    sink(JSON.stringify({ t: new Date().toISOString(), level, scope, msg, ...fields }));
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
