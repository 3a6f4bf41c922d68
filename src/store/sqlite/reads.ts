// The read side of the SQLite store, on its own connection (WAL readers never wait for the writer).
import type { SQLInputValue } from 'node:sqlite';
import type { Role } from '../../core/types.ts';
import { SEARCH_KINDS, type SearchKind } from '../../model/search-keys.ts';
import type { ExceptionFilter, SearchHit, Store } from '../store.ts';
import { monitoringReads } from './monitoring.ts';
import { type Row, toAttempt, toDelivery, toEvent, toException, toMessage, toWorkflow, toWorkflowStep } from './rows.ts';

type All = (sql: string, ...p: SQLInputValue[]) => Row[];
type Get = (sql: string, ...p: SQLInputValue[]) => Row | undefined;

type Reads = Omit<Store, 'kind' | 'migrate' | 'migrationsApplied' | 'write' | 'close'>;

export function sqliteReads(all: All, get: Get): Reads {
  const one = <T>(row: Row | undefined, map: (r: Row) => T): T | null => (row ? map(row) : null);
  const attemptsOf = async (id: string) => all(`SELECT * FROM attempts WHERE delivery_id = ? ORDER BY id`, id).map(toAttempt);

  return {
    async getMessage(id) {
      return one(get(`SELECT * FROM messages WHERE id = ?`, id), toMessage);
    },
    async getEvent(id) {
      return one(get(`SELECT * FROM events WHERE id = ?`, id), toEvent);
    },
    async refusedMessages(limit) {
      return all(`SELECT * FROM messages WHERE error IS NOT NULL ORDER BY received_at DESC LIMIT ?`, limit)
        .map(toMessage)
        .map(({ raw: _raw, ...m }) => m);
    },
    async refusedMessagesBySource(sourceId, limit) {
      return all(`SELECT * FROM messages WHERE source_id = ? COLLATE NOCASE AND error IS NOT NULL ORDER BY received_at DESC LIMIT ?`, sourceId, limit)
        .map(toMessage)
        .map(({ raw: _raw, ...m }) => m);
    },
    async eventsOfMessage(messageId) {
      return all(`SELECT * FROM events WHERE message_id = ? ORDER BY seq`, messageId).map(toEvent);
    },
    async revisionsOf(firstEventId) {
      return all(`SELECT * FROM events WHERE id = ? OR revision_of = ? ORDER BY revision`, firstEventId, firstEventId).map(toEvent);
    },
    async getDelivery(id) {
      return one(get(`SELECT * FROM deliveries WHERE id = ?`, id), toDelivery);
    },
    async deliveriesOfEvent(eventId) {
      return all(`SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq`, eventId).map(toDelivery);
    },
    async listDeliveries(f) {
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      if (f.status?.length) {
        where.push(`d.status IN (${f.status.map(() => '?').join(',')})`);
        params.push(...f.status);
      }
      if (f.destination) (where.push('d.destination = ?'), params.push(f.destination));
      if (f.eventType) (where.push('e.type = ?'), params.push(f.eventType));
      if (f.from) (where.push('d.created_at >= ?'), params.push(f.from));
      if (f.to) (where.push('d.created_at < ?'), params.push(f.to));
      if (f.afterSeq !== undefined) (where.push('d.seq > ?'), params.push(f.afterSeq));
      const join = f.eventType ? 'JOIN events e ON e.id = d.event_id' : '';
      const sql = `SELECT d.* FROM deliveries d ${join} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY d.seq LIMIT ?`;
      return all(sql, ...params, Math.min(f.limit ?? 100, 100_000)).map(toDelivery);
    },
    async unfinishedDeliveries(destination, afterSeq, limit) {
      return all(
        `SELECT * FROM deliveries WHERE status IN ('pending', 'in_flight', 'retrying') AND destination = ? AND seq > ? ORDER BY seq LIMIT ?`,
        destination, afterSeq, limit,
      ).map(toDelivery);
    },
    async deliveryByInterchange(destination, controlNumber) {
      return one(get(
        `SELECT d.* FROM x12_interchanges x JOIN deliveries d ON d.id = x.delivery_id WHERE x.destination = ? AND x.control_number = ?`,
        destination, controlNumber,
      ), toDelivery);
    },
    attemptsOf,
    async trace(correlationId) {
      const events = all(`SELECT * FROM events WHERE correlation_id = ? ORDER BY seq`, correlationId).map(toEvent);
      const messageIds = [...new Set(events.map((e) => e.messageId))];
      const messages = messageIds
        .map((id) => one(get(`SELECT * FROM messages WHERE id = ?`, id), toMessage))
        .filter((m) => m !== null)
        .map(({ raw: _raw, ...m }) => m);
      const deliveries = await Promise.all(
        all(`SELECT d.* FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.correlation_id = ? ORDER BY d.seq`, correlationId)
          .map(toDelivery)
          .map(async (d) => ({ ...d, attemptLog: await attemptsOf(d.id) })),
      );
      const exceptions = all(`SELECT * FROM exceptions WHERE correlation_id = ? ORDER BY created_at`, correlationId).map(toException);
      return { correlationId, messages, events, deliveries, exceptions };
    },
    async searchTrace(kind, value, limit) {
      // Each kind is one range of the search index's primary key (a correlation id, of the events' own index); only
      // the `limit` traces whose key was seen last are then read from events, for their times, types and facility,
      // and answered by their latest event first.
      const found = new Map<string, { kind: SearchKind; value: string; at: number }>();
      for (const k of kind === 'auto' ? SEARCH_KINDS : [kind]) {
        const rows = k === 'correlation'
          ? all(`SELECT correlation_id, max(recorded_at) AS at FROM events WHERE correlation_id = ? GROUP BY correlation_id`, value)
            .map((r) => ({ correlationId: String(r.correlation_id), value, at: Date.parse(String(r.at)) }))
          : all(`SELECT correlation_id, value, at FROM search_keys WHERE kind = ? AND value = ? ORDER BY at DESC LIMIT ?`, k, value, limit)
            .map((r) => ({ correlationId: String(r.correlation_id), value: String(r.value), at: Number(r.at) }));
        for (const r of rows) {
          const seen = found.get(r.correlationId);
          if (!seen || seen.at < r.at) found.set(r.correlationId, { kind: k, value: r.value, at: r.at });
        }
      }
      const newest = [...found.entries()].sort(([, a], [, b]) => b.at - a.at).slice(0, limit);
      return newest.flatMap(([correlationId, hit]): SearchHit[] => {
        const r = get(`SELECT min(recorded_at) AS first_at, max(recorded_at) AS last_at, group_concat(DISTINCT type) AS types,
            (SELECT facility FROM events f WHERE f.correlation_id = e.correlation_id ORDER BY seq LIMIT 1) AS facility
          FROM events e WHERE correlation_id = ?`, correlationId);
        if (!r || r.first_at === null) return [];
        return [{
          correlationId, kind: hit.kind, value: hit.value, firstAt: String(r.first_at), lastAt: String(r.last_at),
          eventTypes: String(r.types).split(','), facility: String(r.facility),
        }];
      }).sort((a, b) => b.lastAt.localeCompare(a.lastAt));
    },
    async getException(id) {
      return one(get(`SELECT * FROM exceptions WHERE id = ?`, id), toException);
    },
    async listExceptions(f) {
      const { where, params } = exceptionWhere(f);
      const order = f.oldestFirst ? 'created_at, id' : 'created_at DESC, id';
      const sql = `SELECT * FROM exceptions ${where} ORDER BY ${order} LIMIT ?`;
      return all(sql, ...params, Math.min(f.limit ?? 100, 10_000)).map(toException);
    },
    async countExceptions(f, by) {
      const column = { category: 'category', facility: 'facility', ownerRole: 'owner_role' }[by];
      const { where, params } = exceptionWhere(f);
      return all(`SELECT ${column} AS key, count(*) AS n, min(created_at) AS oldest FROM exceptions ${where} GROUP BY 1 ORDER BY 2 DESC, 1`, ...params)
        .map((r) => ({ key: String(r.key), count: Number(r.n), oldestCreatedAt: String(r.oldest) }));
    },
    async unsealPhi(token) {
      const row = get(`SELECT sealed FROM phi_vault WHERE token = ?`, token);
      return row ? (row.sealed as Uint8Array) : null;
    },
    async stockOf(location, itemId) {
      const row = get(`SELECT on_hand FROM stock WHERE location = ? AND item_id = ?`, location, itemId);
      return row ? Number(row.on_hand) : null;
    },
    async openRequisitionOf(location, itemId) {
      const row = get(`SELECT * FROM open_requisitions WHERE location = ? AND item_id = ?`, location, itemId);
      return row ? { location, itemId, eventId: String(row.event_id), openedAt: String(row.opened_at) } : null;
    },
    async lowStock(atMost, limit) {
      return all(`SELECT location, item_id, on_hand, updated_at FROM stock WHERE on_hand <= ? ORDER BY on_hand, location, item_id LIMIT ?`, atMost, limit)
        .map((r) => ({ location: String(r.location), itemId: String(r.item_id), onHand: Number(r.on_hand), updatedAt: String(r.updated_at) }));
    },
    async openRequisitions() {
      return all(`SELECT * FROM open_requisitions`).map((r) => ({ location: String(r.location), itemId: String(r.item_id), eventId: String(r.event_id), openedAt: String(r.opened_at) }));
    },
    async masterRecords(entity) {
      return all(`SELECT data FROM master_records WHERE entity = ? ORDER BY id`, entity).map((r) => JSON.parse(String(r.data)));
    },
    async syncCursor(entity) {
      const row = get(`SELECT cursor FROM sync_cursors WHERE entity = ?`, entity);
      return row ? String(row.cursor) : null;
    },
    async driftVolumes(since) {
      const itemEvents = Number(get(`SELECT count(*) AS n FROM events WHERE revision = 1 AND recorded_at >= ? AND type IN
        ('supply.used', 'supply.returned', 'stock.received', 'stock.adjusted', 'stock.counted', 'requisition.created')`, since)!.n);
      const unmappedEvents = Number(get(`SELECT count(DISTINCT event_id) AS n FROM exceptions WHERE category = 'unmapped_item' AND created_at >= ?`, since)!.n);
      const unmappedCodes = all(`SELECT json_extract(detail, '$.system') AS system, json_extract(detail, '$.code') AS code,
          json_extract(detail, '$.gtin') AS gtin, count(*) AS events
        FROM exceptions WHERE category = 'unmapped_item' AND status = 'open' GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 100`)
        .map((r) => ({ system: String(r.system), code: r.code === null ? '' : String(r.code), gtin: r.gtin === null ? null : String(r.gtin), events: Number(r.events) }));
      return { itemEvents, unmappedEvents, unmappedCodes };
    },
    async xrefHistory(system, code) {
      return all(`SELECT * FROM xref_history WHERE system = ? AND code = ? ORDER BY id`, system, code).map((r) => ({
        oldItemId: r.old_item_id === null ? null : String(r.old_item_id), newItemId: String(r.new_item_id), actor: String(r.actor),
        reason: r.reason === null ? null : String(r.reason), at: String(r.at),
      }));
    },
    async xrefs() {
      return all(`SELECT system, code, item_id FROM xrefs`).map((r) => ({ system: String(r.system), code: String(r.code), itemId: String(r.item_id) }));
    },
    async actorByTokenHash(hash, now = Date.now()) {
      const row = get(`SELECT a.id, a.name, a.role FROM api_tokens t JOIN actors a ON a.id = t.actor_id
                       WHERE t.hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)`, hash, now);
      return row ? actorOf(row) : null;
    },
    async userByName(username) {
      const row = get(`SELECT a.id, a.name, a.role, u.password_hash FROM users u JOIN actors a ON a.id = u.actor_id WHERE u.username = ?`, username);
      return row ? { actor: actorOf(row), passwordHash: String(row.password_hash) } : null;
    },
    async pausedDestinations() {
      return all(`SELECT destination FROM destination_state WHERE paused = 1`).map((r) => String(r.destination));
    },
    async auditLog(limit) {
      return all(`SELECT * FROM audit_log ORDER BY id DESC LIMIT ?`, limit).map((r) => ({
        at: String(r.at), actor: String(r.actor), action: String(r.action), target: String(r.target),
        detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
      }));
    },
    async getWorkflow(type, key) {
      return one(get(`SELECT * FROM workflows WHERE type = ? AND key = ?`, type, key), toWorkflow);
    },
    async listWorkflows(f) {
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      if (f.type) (where.push('type = ?'), params.push(f.type));
      if (f.status) (where.push('status = ?'), params.push(f.status));
      if (f.stage) (where.push('stage = ?'), params.push(f.stage));
      return all(`SELECT * FROM workflows ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY updated_at DESC LIMIT ?`,
        ...params, Math.min(f.limit ?? 100, 1_000_000)).map(toWorkflow);
    },
    async workflowSteps(type, key) {
      return all(`SELECT * FROM workflow_steps WHERE type = ? AND key = ? ORDER BY seq`, type, key).map(toWorkflowStep);
    },
    async workflowKeyByRef(type, ref) {
      const row = get(`SELECT key FROM workflow_refs WHERE type = ? AND ref = ?`, type, ref);
      return row ? String(row.key) : null;
    },
    async nextTimerDue() {
      const row = get(`SELECT MIN(due_at) AS due FROM workflow_timers`);
      return row && row.due !== null ? Number(row.due) : null;
    },
    async deliveriesOfWorkflow(type, key) {
      return all(`SELECT d.* FROM workflow_deliveries w JOIN deliveries d ON d.id = w.delivery_id WHERE w.type = ? AND w.key = ? ORDER BY d.seq`, type, key)
        .map(toDelivery);
    },
    ...monitoringReads(all, get),
    async timersOf(type, key) {
      return all(`SELECT * FROM workflow_timers WHERE type = ? AND key = ? ORDER BY due_at`, type, key)
        .map((r) => ({ type, key, name: String(r.name), dueAt: Number(r.due_at) }));
    },
  };
}

function exceptionWhere(f: ExceptionFilter): { where: string; params: SQLInputValue[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (f.status) (where.push('status = ?'), params.push(f.status));
  if (f.category) (where.push('category = ?'), params.push(f.category));
  if (f.facility) (where.push('facility = ?'), params.push(f.facility));
  if (f.ownerRole) (where.push('owner_role = ?'), params.push(f.ownerRole));
  if (f.eventId) (where.push('event_id = ?'), params.push(f.eventId));
  if (f.workflow) (where.push('workflow_type = ? AND workflow_key = ?'), params.push(f.workflow.type, f.workflow.key));
  if (f.createdBefore) (where.push('created_at < ?'), params.push(f.createdBefore));
  return { where: where.length ? 'WHERE ' + where.join(' AND ') : '', params };
}

const actorOf = (row: Row) => ({ id: String(row.id), name: String(row.name), role: String(row.role) as Role });
