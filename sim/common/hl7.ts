// The simulators' own HL7 v2 and MLLP: a segment writer with escaping, a reader (segments, fields, components,
// MSH/MSA/ERR), ACKs, MLLP framing with a stream deframer, a client that waits for the ACK of each message and
// a small server. Hand-written on purpose: the hub parses HL7 with its own codec, and a round trip between two
// independent implementations is what proves both read the standard the same way. So nothing here may come
// from src/ or from the HL7 packages the hub uses.
import { connect, createServer, type Server, type Socket } from 'node:net';

// ---------------------------------------------------------------------------------------------------------
// Writing

/** A component: text, or an array of subcomponents. Numbers are written as they print; null is empty. */
export type Hl7Component = string | number | null | undefined | readonly (string | number | null | undefined)[];
/** A field: one component, or an array of components (`['DFT', 'P03']` → `DFT^P03`). */
export type Hl7Field = Hl7Component | readonly Hl7Component[];

/** Escapes the delimiters inside field data (standard encoding characters `|^~\&`). The escape char goes first. */
export function escapeHl7(text: string): string {
  return text
    .replaceAll('\\', '\\E\\')
    .replaceAll('|', '\\F\\')
    .replaceAll('^', '\\S\\')
    .replaceAll('&', '\\T\\')
    .replaceAll('~', '\\R\\')
    .replaceAll('\r', '\\X0D\\')
    .replaceAll('\n', '\\X0A\\');
}

const atom = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : escapeHl7(String(v)));
const trimJoin = (parts: string[], sep: string): string => {
  let n = parts.length;
  while (n > 0 && parts[n - 1] === '') n--;
  return parts.slice(0, n).join(sep);
};
const component = (c: Hl7Component): string => (Array.isArray(c) ? trimJoin(c.map(atom), '&') : atom(c as string | number | null | undefined));
const field = (f: Hl7Field): string => (Array.isArray(f) ? trimJoin(f.map(component), '^') : component(f as Hl7Component));

/** One segment; `fields[0]` is field 1. Trailing empty fields are dropped. Not for MSH: see `mshSegment`. */
export function segment(name: string, fields: readonly Hl7Field[]): string {
  return trimJoin([name, ...fields.map(field)], '|');
}

export type MshFields = {
  sendingApplication: Hl7Field;
  sendingFacility: Hl7Field;
  receivingApplication?: Hl7Field;
  receivingFacility?: Hl7Field;
  /** MSH-7, already in HL7 form (see `hl7Time`). */
  time: string;
  /** MSH-9, e.g. `['DFT', 'P03', 'DFT_P03']`. */
  messageType: Hl7Field;
  controlId: string;
  processingId?: string;
  version?: string;
};

/** MSH with the standard encoding characters `^~\&`. */
export function mshSegment(h: MshFields): string {
  const rest = [
    h.sendingApplication, h.sendingFacility, h.receivingApplication, h.receivingFacility, h.time, null, h.messageType,
    h.controlId, h.processingId ?? 'P', h.version ?? '2.5.1',
  ];
  return `MSH|^~\\&|${trimJoin(rest.map(field), '|')}`;
}

/** Segments joined and each ended by CR, as HL7 wants. */
export function buildMessage(segments: readonly string[]): string {
  return segments.map((s) => `${s}\r`).join('');
}

/** `YYYYMMDDHHMMSS±ZZZZ` of an instant: from an ISO string with an offset (its local time kept), or UTC ms. */
export function hl7Time(at: string | number): string {
  if (typeof at === 'number') return `${new Date(at).toISOString().slice(0, 19).replace(/\D/g, '')}+0000`;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(at);
  if (!m) throw new Error(`not an ISO date-time with an offset: ${at}`);
  const offset = m[7] === 'Z' ? '+0000' : (m[7] ?? '').replace(':', '');
  return `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}${offset}`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export type Delimiters = { field: string; component: string; repetition: string; escape: string; subcomponent: string };

export type Hl7Segment = {
  name: string;
  /** Raw (still escaped) field texts, by HL7 number: `fields[3]` is field 3. For MSH, `fields[1]` is `|`. */
  fields: string[];
  /** Field `n`, component, subcomponent (1-based) of repetition `rep` (0-based), unescaped; '' when absent. */
  get(n: number, component?: number, subcomponent?: number, rep?: number): string;
  /** How many repetitions field `n` holds (0 when empty). */
  repetitions(n: number): number;
};

export type Hl7Message = {
  delimiters: Delimiters;
  segments: Hl7Segment[];
  /** The first segment with that name. */
  segment(name: string): Hl7Segment | undefined;
};

/** Reads one message. Segments may end with CR, LF or CRLF; blank lines are skipped. Throws without an MSH. */
export function parseMessage(text: string): Hl7Message {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  const first = lines[0] ?? '';
  if (!first.startsWith('MSH') || first.length < 8) throw new Error('not an HL7 v2 message: it does not start with MSH');
  const fieldSep = first.charAt(3);
  const encEnd = first.indexOf(fieldSep, 4);
  const enc = first.slice(4, encEnd === -1 ? undefined : encEnd);
  const d: Delimiters = {
    field: fieldSep,
    component: enc.charAt(0) || '^',
    repetition: enc.charAt(1) || '~',
    escape: enc.charAt(2) || '\\',
    subcomponent: enc.charAt(3) || '&',
  };
  const segments = lines.map((line) => {
    const parts = line.split(d.field);
    const name = parts[0] ?? '';
    // MSH-1 is the separator itself, so MSH's texts shift by one against every other segment's.
    const fields = name === 'MSH' ? [name, d.field, ...parts.slice(1)] : parts;
    return makeSegment(name, fields, d);
  });
  return { delimiters: d, segments, segment: (name) => segments.find((s) => s.name === name) };
}

function makeSegment(name: string, fields: string[], d: Delimiters): Hl7Segment {
  const isMshHead = (n: number) => name === 'MSH' && (n === 1 || n === 2);
  return {
    name,
    fields,
    get(n, comp = 1, sub = 1, rep = 0) {
      const raw = fields[n] ?? '';
      if (isMshHead(n)) return raw;
      // Split on the delimiters first, unescape last: an escaped delimiter is data, not structure.
      const r = raw.split(d.repetition)[rep] ?? '';
      const c = r.split(d.component)[comp - 1] ?? '';
      return unescapeHl7(c.split(d.subcomponent)[sub - 1] ?? '', d);
    },
    repetitions(n) {
      const raw = fields[n] ?? '';
      return raw === '' ? 0 : isMshHead(n) ? 1 : raw.split(d.repetition).length;
    },
  };
}

/** Undoes \F\ \S\ \T\ \R\ \E\, \Xhh..\ and \.br\; other escapes (highlighting, local \Z..\) are dropped. */
export function unescapeHl7(text: string, d: Delimiters = STANDARD): string {
  const e = d.escape;
  if (!text.includes(e)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    const end = ch === e ? text.indexOf(e, i + 1) : -1;
    if (end === -1) {
      out += ch;
      i++;
      continue;
    }
    const code = text.slice(i + 1, end);
    if (code === 'F') out += d.field;
    else if (code === 'S') out += d.component;
    else if (code === 'T') out += d.subcomponent;
    else if (code === 'R') out += d.repetition;
    else if (code === 'E') out += d.escape;
    else if (code === '.br') out += '\n';
    else if (/^X([0-9A-Fa-f]{2})+$/.test(code)) out += Buffer.from(code.slice(1), 'hex').toString('latin1');
    i = end + 1;
  }
  return out;
}

const STANDARD: Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

export type MshInfo = {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  time: string;
  messageCode: string;
  triggerEvent: string;
  structure: string;
  controlId: string;
  processingId: string;
  version: string;
  /** MSH-15: set means enhanced acknowledgement mode (CA/CE/CR). */
  acceptAckType: string;
};

export function readMsh(message: Hl7Message): MshInfo {
  const msh = message.segment('MSH');
  const g = (n: number, c = 1) => msh?.get(n, c) ?? '';
  return {
    sendingApplication: g(3),
    sendingFacility: g(4),
    receivingApplication: g(5),
    receivingFacility: g(6),
    time: g(7),
    messageCode: g(9, 1),
    triggerEvent: g(9, 2),
    structure: g(9, 3),
    controlId: g(10),
    processingId: g(11),
    version: g(12),
    acceptAckType: g(15),
  };
}

export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';
export type MsaInfo = { code: string; controlId: string; text: string };

export function readMsa(message: Hl7Message): MsaInfo | undefined {
  const msa = message.segment('MSA');
  return msa && { code: msa.get(1).toUpperCase(), controlId: msa.get(2), text: msa.get(3) };
}

export type ErrInfo = {
  /** ERR-2 as `SEG-seq-field`, e.g. `PID-1-18`; '' when absent. */
  location: string;
  /** ERR-3, the HL7 table 0357 code and its text. */
  code: string;
  codeText: string;
  severity: string;
  /** ERR-8, the message for a person. */
  message: string;
};

export function readErr(message: Hl7Message): ErrInfo | undefined {
  const err = message.segment('ERR');
  if (!err) return undefined;
  const location = [err.get(2, 1), err.get(2, 2), err.get(2, 3)].filter((p) => p !== '').join('-');
  return { location, code: err.get(3, 1), codeText: err.get(3, 2), severity: err.get(4), message: err.get(8) };
}

export type AckSpec = {
  code: AckCode;
  /** The ACK's own MSH-10. */
  controlId: string;
  time: string;
  sendingApplication: string;
  sendingFacility: string;
  /** MSA-3 text: why an AE/AR (billing also names its postings on an AA). */
  text?: string;
  /**
   * An ERR segment: table 0357 code, where (segment, sequence, field; no field when a whole segment is missing) and
   * the message for a person (ERR-8).
   */
  error?: { code: string; codeText: string; location?: readonly [string, number, number?]; message: string };
  /** MSH-9 when the answer is not a plain ACK, e.g. `['MFK', 'M16', 'MFK_M01']`. */
  messageType?: Hl7Field;
  /** Segments that follow MSA and ERR in such an answer (an MFK's MFI and MFAs). */
  segments?: readonly string[];
};

/**
 * An ACK (or another acknowledgment message, see `messageType`) answering `inbound`: MSA-2 is its MSH-10, its
 * MSH-3/4 become our MSH-5/6, its version is kept.
 */
export function buildAck(inbound: MshInfo | undefined, ack: AckSpec): string {
  const segments = [
    mshSegment({
      sendingApplication: ack.sendingApplication,
      sendingFacility: ack.sendingFacility,
      receivingApplication: inbound?.sendingApplication,
      receivingFacility: inbound?.sendingFacility,
      time: ack.time,
      messageType: ack.messageType ?? ['ACK', inbound?.triggerEvent, 'ACK'],
      controlId: ack.controlId,
      processingId: inbound?.processingId || 'P',
      version: inbound?.version || '2.5.1',
    }),
    segment('MSA', [ack.code, inbound?.controlId, ack.text]),
  ];
  const err = ack.error;
  if (err) segments.push(segment('ERR', [null, err.location ?? null, [err.code, err.codeText, 'HL70357'], 'E', null, null, null, err.message]));
  return buildMessage([...segments, ...(ack.segments ?? [])]);
}

// ---------------------------------------------------------------------------------------------------------
// MLLP framing: VT message FS CR

export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

export function frame(message: string): Buffer {
  return Buffer.concat([Buffer.from([VT]), Buffer.from(message, 'utf8'), Buffer.from([FS, CR])]);
}

/**
 * Cuts a TCP byte stream into messages. Bytes outside frames are ignored (the CR after FS among them); a VT
 * inside a frame starts over (the sender gave up on the previous one). `push` throws when a frame grows past
 * `maxFrameBytes`: the caller should drop the connection.
 */
export class MllpDeframer {
  readonly maxFrameBytes: number;
  #parts: Buffer[] = [];
  #size = 0;
  #inFrame = false;

  constructor(maxFrameBytes = 4 * 1024 * 1024) {
    this.maxFrameBytes = maxFrameBytes;
  }

  push(chunk: Buffer): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (!this.#inFrame) {
        const start = chunk.indexOf(VT, i);
        if (start === -1) break;
        this.#start();
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(FS, i);
      const restart = chunk.indexOf(VT, i);
      if (restart !== -1 && (end === -1 || restart < end)) {
        this.#start();
        i = restart + 1;
        continue;
      }
      this.#add(chunk.subarray(i, end === -1 ? chunk.length : end));
      if (end === -1) break;
      out.push(Buffer.concat(this.#parts).toString('utf8'));
      this.#inFrame = false;
      this.#parts = [];
      i = end + 1;
    }
    return out;
  }

  #start(): void {
    this.#inFrame = true;
    this.#parts = [];
    this.#size = 0;
  }

  #add(bytes: Buffer): void {
    this.#size += bytes.length;
    if (this.#size > this.maxFrameBytes) {
      this.#inFrame = false;
      this.#parts = [];
      throw new Error(`MLLP frame larger than ${this.maxFrameBytes} bytes`);
    }
    if (bytes.length > 0) this.#parts.push(bytes);
  }
}

/** "HOST:PORT", "mllp://HOST:PORT" or "[::1]:PORT". */
export function parseMllpAddress(text: string): { host: string; port: number } {
  const m = /^(?:mllp:\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(text.trim());
  const port = Number(m?.[2]);
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not an MLLP address (HOST:PORT): "${text}"`);
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

// ---------------------------------------------------------------------------------------------------------
// MLLP client

export type Ack = { code: string; controlId: string; text: string; error: ErrInfo | undefined; message: string };

export class MllpError extends Error {}

/**
 * One connection to an MLLP listener, opened on first use and again after any failure. `sendAndWait` sends a
 * message and resolves with the ACK whose MSA-2 is the message's MSH-10 (other frames are ignored). A timeout
 * or a connection failure rejects and drops the connection, so a late ACK can't be taken for the next message;
 * the caller decides whether to resend (with the same MSH-10).
 */
export class MllpClient {
  readonly host: string;
  readonly port: number;
  /** The current socket (connected or connecting) and the promise of its connection. */
  #socket: Socket | undefined;
  #ready: Promise<Socket> | undefined;
  #pending = new Map<string, { resolve: (ack: Ack) => void; reject: (err: Error) => void }>();

  constructor(address: { host: string; port: number }) {
    this.host = address.host;
    this.port = address.port;
  }

  async sendAndWait(message: string, timeoutMs: number): Promise<Ack> {
    const controlId = readMsh(parseMessage(message)).controlId;
    if (controlId === '') throw new MllpError('the message has no MSH-10 control id to match its ACK by');
    if (this.#pending.has(controlId)) throw new MllpError(`message ${controlId} is already waiting for its ACK`);
    const answer = new Promise<Ack>((resolve, reject) => this.#pending.set(controlId, { resolve, reject }));
    answer.catch(() => {}); // awaited below; a failure while connecting must not count as unhandled
    const timer = setTimeout(() => this.#fail(new MllpError(`no ACK for ${controlId} within ${timeoutMs} ms`)), timeoutMs);
    try {
      const socket = await Promise.race([this.#connect(), answer.then(() => undefined)]);
      socket?.write(frame(message));
      return await answer;
    } finally {
      clearTimeout(timer);
      this.#pending.delete(controlId);
    }
  }

  /** Drops the connection; waiting sends reject. The next send reconnects. */
  close(): void {
    this.#fail(new MllpError('connection closed by the client'));
  }

  #connect(): Promise<Socket> {
    if (this.#ready) return this.#ready;
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    this.#socket = socket;
    const deframer = new MllpDeframer();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const text of deframer.push(chunk)) this.#onFrame(text);
      } catch (err) {
        this.#fail(err as Error);
      }
    });
    // Only the current socket's loss fails the waiting sends: an old one closing late must not touch a new one's.
    const lost = (err?: Error) => {
      if (this.#socket !== socket) return;
      this.#fail(new MllpError(`connection to ${this.host}:${this.port} lost${err ? `: ${err.message}` : ''}`));
    };
    socket.on('error', lost);
    socket.on('close', () => lost());
    this.#ready = new Promise<Socket>((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('close', () => reject(new MllpError(`could not connect to ${this.host}:${this.port}`)));
    });
    this.#ready.catch(() => {});
    return this.#ready;
  }

  #onFrame(text: string): void {
    let ack: Ack;
    try {
      const message = parseMessage(text);
      const msa = readMsa(message);
      if (!msa) return;
      ack = { code: msa.code, controlId: msa.controlId, text: msa.text, error: readErr(message), message: text };
    } catch {
      return; // not HL7: not an answer to anything we sent
    }
    this.#pending.get(ack.controlId)?.resolve(ack);
  }

  #fail(err: Error): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#ready = undefined;
    socket?.destroy();
    const waiters = [...this.#pending.values()];
    for (const w of waiters) w.reject(err);
  }
}

// ---------------------------------------------------------------------------------------------------------
// MLLP server

export type MllpConnection = { remote: string; destroy(): void };
/** Answers one message: the reply to frame back, or undefined for none. Messages of a connection run in order. */
export type MllpHandler = (message: string, conn: MllpConnection) => string | undefined | Promise<string | undefined>;

export type MllpServer = { host: string; port: number; url: string; server: Server; close(): Promise<void> };

export type MllpServerOptions = {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  handle: MllpHandler;
  /** Asked for each new connection; false drops it at once (a "down" system). */
  accept?: () => boolean;
  maxFrameBytes?: number;
};

/** Listens for MLLP on `host:port` (default 127.0.0.1, a free port); `url` is `mllp://host:port`. */
export async function startMllpServer(options: MllpServerOptions): Promise<MllpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    if (options.accept && !options.accept()) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    const conn: MllpConnection = { remote: `${socket.remoteAddress}:${socket.remotePort}`, destroy: () => socket.destroy() };
    const deframer = new MllpDeframer(options.maxFrameBytes);
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let messages: string[];
      try {
        messages = deframer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const message of messages) {
        queue = queue
          .then(async () => {
            if (socket.destroyed) return;
            const reply = await options.handle(message, conn);
            if (reply !== undefined && !socket.destroyed) socket.write(frame(reply));
          })
          .catch(() => {
            socket.destroy(); // a handler that fails answers nothing: the sender keeps its message
          });
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('MLLP server has no TCP address');
  const h = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    host: address.address,
    port: address.port,
    url: `mllp://${h}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
