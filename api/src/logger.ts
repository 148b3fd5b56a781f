export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Level = Exclude<LogLevel, 'silent'>;

export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void> & {
  /** Whether a line at this level is written (so a caller can skip building its fields). */
  enabled(level: Level): boolean;
};

/** One JSON object per line on stderr, so logs stay machine-readable and out of stdout. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const enabled = (name: Level) => threshold >= LOG_LEVELS.indexOf(name);
  const at =
    (name: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (!enabled(name)) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: name, message, ...fields })}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), enabled };
}
