// The write side of the SQLite store: every Tx operation as one or two prepared statements. Runs only inside
// the writer's transaction (see store.ts), so the methods are synchronous underneath and async on the outside
// to fit the Store interface that PostgreSQL shares.
import type { DatabaseSync } from 'node:sqlite';
import { conflict } from '../../core/errors.ts';
import type { Delivery } from '../../core/types.ts';
import type { NewDelivery, Tx } from '../store.ts';
import { toDelivery, toEvent, toWorkflow } from './rows.ts';
import { statements } from './statements.ts';
import { monitoringWrites } from './monitoring.ts';

/** Sequences are nine digits wide (X12 control numbers): the one after this is 1. */
export const MAX_SEQUENCE = 999_999_999;

export function sqliteTx(db: DatabaseSync): Tx {
  const { sql, run } = statements(db);

  return {
    async insertMessage(m) {
      run(
        `INSERT INTO messages (id, channel, source_system, source_id, content_type, received_at, raw, error) VALUES (?,?,?,?,?,?,?,?)`,
        m.id, m.channel, m.sourceSystem, m.sourceId, m.contentType, m.receivedAt, m.raw, m.error,
      );
    },
    async insertEvent(e) {
      const r = run(
        `INSERT INTO events (id, type, schema_version, message_id, source_system, idempotency_key, correlation_id,
           causation_id, partition_key, priority, facility, occurred_at, recorded_at, revision, revision_of, status, payload)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (source_system, idempotency_key) DO NOTHING`,
        e.id, e.type, e.schemaVersion, e.messageId, e.sourceSystem, e.idempotencyKey, e.correlationId, e.causationId,
        e.partitionKey, e.priority, e.facility, e.occurredAt, e.recordedAt, e.revision, e.revisionOf, e.status,
        JSON.stringify(e.payload),
      );
      return Number(r.changes) === 1;
    },
    async findEventByKey(sourceSystem, key) {
      const row = sql(`SELECT * FROM events WHERE source_system = ? AND idempotency_key = ?`).get(sourceSystem, key);
      return row ? toEvent(row) : null;
    },
    async eventById(id) {
      const row = sql(`SELECT * FROM events WHERE id = ?`).get(id);
      return row ? toEvent(row) : null;
    },
    async deliveryById(id) {
      const row = sql(`SELECT * FROM deliveries WHERE id = ?`).get(id);
      return row ? toDelivery(row) : null;
    },
    async setEventStatus(id, status) {
      run(`UPDATE events SET status = ? WHERE id = ?`, status, id);
    },
    async insertDeliveries(ds: NewDelivery[]): Promise<Delivery[]> {
      return ds.map((d) => {
        const r = run(
          `INSERT INTO deliveries (id, event_id, correlation_id, destination, action, partition_key, priority,
             idempotency_key, status, attempts, next_attempt_at, created_at, updated_at, body, reverses, remote_ref, last_error)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          d.id, d.eventId, d.correlationId, d.destination, d.action, d.partitionKey, d.priority, d.idempotencyKey,
          d.status, d.attempts, d.nextAttemptAt, d.createdAt, d.updatedAt, JSON.stringify(d.body), d.reverses,
          d.remoteRef, d.lastError,
        );
        return { ...d, seq: Number(r.lastInsertRowid) };
      });
    },
    async recordOutcomes(outcomes) {
      for (const o of outcomes) {
        const at = o.attempt?.at ?? new Date().toISOString();
        run(
          `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, updated_at = ?, last_error = ?,
             remote_ref = COALESCE(?, remote_ref) WHERE id = ?`,
          o.status, o.attempts, o.nextAttemptAt, at, o.lastError, o.remoteRef ?? null, o.deliveryId,
        );
        const a = o.attempt;
        if (a) {
          run(
            `INSERT INTO attempts (delivery_id, at, outcome, status_code, latency_ms, error) VALUES (?,?,?,?,?,?)`,
            a.deliveryId, a.at, a.outcome, a.statusCode, a.latencyMs, a.error,
          );
        }
      }
    },
    async insertException(x) {
      run(
        `INSERT INTO exceptions (id, category, status, owner_role, facility, event_id, delivery_id, correlation_id,
           detail, created_at, resolved_at, resolved_by, resolution, workflow_type, workflow_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        x.id, x.category, x.status, x.ownerRole, x.facility, x.eventId, x.deliveryId, x.correlationId,
        JSON.stringify(x.detail), x.createdAt, x.resolvedAt, x.resolvedBy, x.resolution, x.workflow?.type ?? null, x.workflow?.key ?? null,
      );
    },
    async resolveException(id, status, actor, resolution, at) {
      run(
        `UPDATE exceptions SET status = ?, resolved_by = ?, resolution = ?, resolved_at = ? WHERE id = ? AND status = 'open'`,
        status, actor, resolution, at, id,
      );
    },
    async resolveDeliveryExceptions(ids, resolution, at) {
      for (const id of ids) {
        run(`UPDATE exceptions SET status = 'resolved', resolved_by = 'tendon', resolution = ?, resolved_at = ?
             WHERE delivery_id = ? AND status = 'open'`, resolution, at, id);
      }
    },
    async resolveEventExceptions(eventId, status, actor, resolution, at) {
      run(`UPDATE exceptions SET status = ?, resolved_by = ?, resolution = ?, resolved_at = ? WHERE event_id = ? AND status = 'open'`,
        status, actor, resolution, at, eventId);
    },
    async updateExceptionDetail(id, detail) {
      run(`UPDATE exceptions SET detail = ? WHERE id = ?`, JSON.stringify(detail), id);
    },
    async correctEventPayload(eventId, payload) {
      return Number(run(`UPDATE events SET payload = ? WHERE id = ? AND status = 'held'`, JSON.stringify(payload), eventId).changes) === 1;
    },
    async sealPhi(token, sealed) {
      run(`INSERT INTO phi_vault (token, sealed) VALUES (?, ?) ON CONFLICT (token) DO NOTHING`, token, sealed);
    },
    async applyStock(c) {
      run(`INSERT INTO stock_moves (event_id, location, item_id, delta, set_to, at) VALUES (?,?,?,?,?,?)`,
        c.eventId, c.location, c.itemId, c.delta ?? null, c.set ?? null, c.at);
      if (c.set !== undefined) {
        run(
          `INSERT INTO stock (location, item_id, on_hand, updated_at) VALUES (?,?,?,?)
           ON CONFLICT (location, item_id) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at`,
          c.location, c.itemId, c.set, c.at,
        );
        return c.set;
      }
      const row = sql(
        `UPDATE stock SET on_hand = on_hand + ?, updated_at = ? WHERE location = ? AND item_id = ? RETURNING on_hand`,
      ).get(c.delta ?? 0, c.at, c.location, c.itemId);
      return row ? Number(row.on_hand) : null;
    },
    async stockMovesOf(eventId) {
      return sql(`SELECT * FROM stock_moves WHERE event_id = ? ORDER BY id`).all(eventId).map((r) => ({
        eventId, location: String(r.location), itemId: String(r.item_id), at: String(r.at),
        ...(r.delta === null ? {} : { delta: Number(r.delta) }), ...(r.set_to === null ? {} : { set: Number(r.set_to) }),
      }));
    },
    async serialHolder(itemId, serial) {
      const row = sql(`SELECT event_id FROM serial_uses WHERE item_id = ? AND serial = ?`).get(itemId, serial);
      return row ? String(row.event_id) : null;
    },
    async claimSerial(itemId, serial, eventId, at) {
      run(`INSERT INTO serial_uses (item_id, serial, event_id, used_at) VALUES (?,?,?,?)
           ON CONFLICT (item_id, serial) DO UPDATE SET event_id = excluded.event_id, used_at = excluded.used_at`, itemId, serial, eventId, at);
    },
    async releaseSerial(itemId, serial) {
      run(`DELETE FROM serial_uses WHERE item_id = ? AND serial = ?`, itemId, serial);
    },
    async openRequisition(r) {
      const res = run(
        `INSERT INTO open_requisitions (location, item_id, event_id, opened_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING`,
        r.location, r.itemId, r.eventId, r.openedAt,
      );
      return Number(res.changes) === 1;
    },
    async closeRequisition(location, itemId) {
      return Number(run(`DELETE FROM open_requisitions WHERE location = ? AND item_id = ?`, location, itemId).changes) === 1;
    },
    async upsertMasterRecords(entity, records) {
      for (const r of records) {
        run(
          `INSERT INTO master_records (entity, id, updated_at, data, source) VALUES (?,?,?,?,'erp')
           ON CONFLICT (entity, id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data, source = 'erp'`,
          entity, r.id, r.updatedAt, JSON.stringify(r.data),
        );
      }
    },
    async offerMasterRecord(entity, r, source) {
      const res = run(
        `INSERT INTO master_records (entity, id, updated_at, data, source) VALUES (?,?,?,?,?)
         ON CONFLICT (entity, id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data, source = excluded.source
         WHERE master_records.source <> 'erp' AND excluded.updated_at >= master_records.updated_at`,
        entity, r.id, r.updatedAt, JSON.stringify(r.data), source,
      );
      return Number(res.changes) === 1;
    },
    async setSyncCursor(entity, cursor) {
      run(`INSERT INTO sync_cursors (entity, cursor) VALUES (?,?) ON CONFLICT (entity) DO UPDATE SET cursor = excluded.cursor`, entity, cursor);
    },
    async putXref(system, code, itemId, actor, at, reason = null) {
      const old = sql(`SELECT item_id FROM xrefs WHERE system = ? AND code = ?`).get(system, code);
      if (old && String(old.item_id) === itemId) return;
      run(`INSERT INTO xref_history (system, code, old_item_id, new_item_id, actor, reason, at) VALUES (?,?,?,?,?,?,?)`,
        system, code, old ? String(old.item_id) : null, itemId, actor, reason, at);
      run(
        `INSERT INTO xrefs (system, code, item_id, created_by, created_at) VALUES (?,?,?,?,?)
         ON CONFLICT (system, code) DO UPDATE SET item_id = excluded.item_id, created_by = excluded.created_by, created_at = excluded.created_at`,
        system, code, itemId, actor, at,
      );
    },
    async createActor(actor, tokenHash, at) {
      run(`INSERT INTO actors (id, name, role, created_at) VALUES (?,?,?,?) ON CONFLICT (id) DO NOTHING`, actor.id, actor.name, actor.role, at);
      // Another token for an existing actor is fine; quietly keeping a different role than the one asked for is not.
      const role = sql(`SELECT role FROM actors WHERE id = ?`).get(actor.id)?.role;
      if (role !== actor.role) throw conflict(`actor ${actor.id} exists with role ${String(role)}`);
      run(`INSERT INTO api_tokens (hash, actor_id) VALUES (?,?) ON CONFLICT (hash) DO NOTHING`, tokenHash, actor.id);
    },
    async setUser(actorId, username, passwordHash, at) {
      run(`INSERT INTO users (actor_id, username, password_hash, created_at) VALUES (?,?,?,?)
           ON CONFLICT (actor_id) DO UPDATE SET username = excluded.username, password_hash = excluded.password_hash`, actorId, username, passwordHash, at);
    },
    async createSession(tokenHash, actorId, expiresAt) {
      run(`INSERT INTO api_tokens (hash, actor_id, expires_at, kind) VALUES (?,?,?,'session')`, tokenHash, actorId, expiresAt);
    },
    async endSession(tokenHash, now) {
      run(`DELETE FROM api_tokens WHERE kind = 'session' AND (hash = ? OR expires_at <= ?)`, tokenHash, now);
    },
    async setDestinationPaused(destination, paused) {
      run(
        `INSERT INTO destination_state (destination, paused) VALUES (?,?) ON CONFLICT (destination) DO UPDATE SET paused = excluded.paused`,
        destination, paused ? 1 : 0,
      );
    },
    async audit(entry, at) {
      run(`INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?,?,?,?,?)`, at, entry.actor, entry.action, entry.target, JSON.stringify(entry.detail));
    },
    async nextSequence(name) {
      const row = sql(
        `INSERT INTO sequences (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = CASE WHEN value >= ${MAX_SEQUENCE} THEN 1 ELSE value + 1 END RETURNING value`,
      ).get(name);
      return Number(row!.value);
    },
    async linkInterchange(destination, controlNumber, deliveryId) {
      run(
        `INSERT INTO x12_interchanges (destination, control_number, delivery_id) VALUES (?,?,?)
         ON CONFLICT (destination, control_number) DO UPDATE SET delivery_id = excluded.delivery_id`,
        destination, controlNumber, deliveryId,
      );
    },
    async insertSearchKeys(keys) {
      for (const k of keys) {
        run(`INSERT INTO search_keys (kind, value, correlation_id, at) VALUES (?,?,?,?)
             ON CONFLICT (kind, value, correlation_id) DO UPDATE SET at = excluded.at WHERE excluded.at > search_keys.at`,
          k.kind, k.value, k.correlationId, k.at);
      }
    },
    async getWorkflow(type, key) {
      const row = sql(`SELECT * FROM workflows WHERE type = ? AND key = ?`).get(type, key);
      return row ? toWorkflow(row) : null;
    },
    async saveWorkflow(w, step) {
      run(
        `INSERT INTO workflows (type, key, version, status, stage, facility, correlation_id, origin_event_id, state, steps, created_at, updated_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
         ON CONFLICT (type, key) DO UPDATE SET status = excluded.status, stage = excluded.stage, state = excluded.state,
           steps = excluded.steps, updated_at = excluded.updated_at`,
        w.type, w.key, w.version, w.status, w.stage, w.facility, w.correlationId, w.originEventId, JSON.stringify(w.state), w.steps,
        w.createdAt, w.updatedAt,
      );
      run(`INSERT INTO workflow_steps (type, key, seq, version, at, input, effects) VALUES (?,?,?,?,?,?,?)`,
        w.type, w.key, step.seq, step.version, step.at, JSON.stringify(step.input), JSON.stringify(step.effects));
    },
    async workflowKeyByRef(type, ref) {
      const row = sql(`SELECT key FROM workflow_refs WHERE type = ? AND ref = ?`).get(type, ref);
      return row ? String(row.key) : null;
    },
    async bindWorkflowRef(type, ref, key) {
      run(`INSERT INTO workflow_refs (type, ref, key) VALUES (?,?,?) ON CONFLICT (type, ref) DO UPDATE SET key = excluded.key`, type, ref, key);
    },
    async unbindWorkflowRef(type, ref) {
      run(`DELETE FROM workflow_refs WHERE type = ? AND ref = ?`, type, ref);
    },
    async setTimer(t) {
      run(`INSERT INTO workflow_timers (type, key, name, due_at) VALUES (?,?,?,?)
           ON CONFLICT (type, key, name) DO UPDATE SET due_at = excluded.due_at`, t.type, t.key, t.name, t.dueAt);
    },
    async cancelTimer(type, key, name) {
      run(`DELETE FROM workflow_timers WHERE type = ? AND key = ? AND name = ?`, type, key, name);
    },
    async takeDueTimers(now, limit) {
      return sql(
        `DELETE FROM workflow_timers WHERE (type, key, name) IN (SELECT type, key, name FROM workflow_timers WHERE due_at <= ? ORDER BY due_at LIMIT ?)
         RETURNING type, key, name, due_at`,
      ).all(now, limit).map((r) => ({ type: String(r.type), key: String(r.key), name: String(r.name), dueAt: Number(r.due_at) }))
        .sort((a, b) => a.dueAt - b.dueAt);
    },
    async linkWorkflowDelivery(l) {
      run(`INSERT INTO workflow_deliveries (delivery_id, type, key, name, start) VALUES (?,?,?,?,?)`,
        l.deliveryId, l.type, l.key, l.name, l.start ? JSON.stringify(l.start) : null);
    },
    async workflowDeliveries(ids) {
      const found = [];
      for (const id of ids) {
        const r = sql(`SELECT * FROM workflow_deliveries WHERE delivery_id = ?`).get(id);
        if (r) found.push({ deliveryId: id, type: String(r.type), key: String(r.key), name: String(r.name), start: r.start ? JSON.parse(String(r.start)) : null });
      }
      return found;
    },
    async workflowDeliveryByName(type, key, name) {
      const row = sql(
        `SELECT w.delivery_id FROM workflow_deliveries w JOIN deliveries d ON d.id = w.delivery_id
         WHERE w.type = ? AND w.key = ? AND w.name = ? ORDER BY d.seq DESC LIMIT 1`,
      ).get(type, key, name);
      return row ? String(row.delivery_id) : null;
    },
    async resolveWorkflowExceptions(type, key, category, actor, resolution, at) {
      return sql(
        `UPDATE exceptions SET status = 'resolved', resolved_by = ?, resolution = ?, resolved_at = ?
         WHERE workflow_type = ? AND workflow_key = ? AND category = ? AND status = 'open' RETURNING id`,
      ).all(actor, resolution, at, type, key, category).map((r) => String(r.id));
    },
    ...monitoringWrites(run),
  };
}
