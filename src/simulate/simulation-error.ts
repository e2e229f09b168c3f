/**
 * A simulation that cannot start or go on: a bad option, a Warden that is not on this machine, or
 * a setup call Warden rejected. The CLI prints the message, which names what to change.
 */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}
