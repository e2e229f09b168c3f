/** AWS rest-json bodies carry timestamps as epoch seconds, fractional where needed. */
export function toEpochSeconds(milliseconds: number): number {
  return milliseconds / 1000;
}
