import type { Client } from 'aedes';
import type { Authorizer } from './policy/index.ts';

/** One authenticated MQTT connection and what the broker decided about it at CONNECT. */
export interface Session {
  client: Client;
  clientId: string;
  certificateId: string;
  /** The thing named by the client ID, when the certificate is attached to it. */
  thingName?: string;
  /** Thing name when attached, else the client ID: the name metrics and violations use. */
  identity: string;
  sourceIp: string;
  sourcePort: number;
  connectedAt: number;
  authorizer: Authorizer;
  /** Reason recorded with the disconnect when the broker itself closes the session. */
  closeReason?: string;
}
