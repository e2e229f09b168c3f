/** Kind of broker event recorded in the connection history. */
export type ConnectionEventType =
  | 'connect-attempt'
  | 'connect-success'
  | 'connect-failure'
  | 'takeover'
  | 'disconnect'
  | 'authorization-failure';

/** One durable row of the connection history. Times are epoch milliseconds. */
export interface ConnectionEvent {
  time: number;
  type: ConnectionEventType;
  clientId: string;
  certificateId?: string | undefined;
  thingName?: string | undefined;
  sourceIp: string;
  sourcePort: number;
  /** Reason a connect failed or a session ended, or the denied action. */
  reason?: string | undefined;
  /** For authorization failures: the action and the topic or filter. */
  action?: string | undefined;
  resource?: string | undefined;
}

export interface HistoryQuery {
  since: number;
  until?: number;
  types?: ConnectionEventType[];
  clientId?: string;
  certificateId?: string;
  thingName?: string;
  limit?: number;
}

/** Durable connection history; `append` resolves once the event is committed. */
export interface ConnectionHistoryStore {
  append(event: ConnectionEvent): Promise<void>;
  query(query: HistoryQuery): Promise<ConnectionEvent[]>;
  /** Deletes events older than `before` (epoch ms); returns how many. */
  prune(before: number): Promise<number>;
}
