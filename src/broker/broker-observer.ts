/**
 * Receives what happens on the broker, per identity: the thing name when the client's certificate
 * is attached to the thing named by its client ID, else the client ID. Cloud-side metrics are
 * computed from these calls. Each call must be cheap and must not throw.
 */
export interface BrokerObserver {
  connectAttempt(identity: string, time: number): void;
  connected(identity: string, time: number, sourceIp: string): void;
  disconnected(identity: string, time: number): void;
  /** A message the client published (device to cloud). */
  messageSent(identity: string, topic: string, bytes: number, time: number): void;
  /** A message delivered to the client (cloud to device). */
  messageReceived(identity: string, topic: string, bytes: number, time: number): void;
  authorizationFailure(identity: string, topic: string, time: number): void;
}
