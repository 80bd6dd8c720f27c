/** One line for the person at the console, then exit 1. */
export function fail(line: string): never {
  process.stderr.write(line + '\n');
  process.exit(1);
}
