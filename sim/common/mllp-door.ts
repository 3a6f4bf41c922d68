// A simulator's HL7 door over MLLP, the part every door shares: read the message, refuse what the sim does not take
// (AR), answer a control id seen before with its first answer (idempotent by MSH-10), let the sim apply the
// message inside its store's transaction, and acknowledge only once that is committed. The faults of
// POST /_sim/faults apply here as over HTTP. Each sim supplies its routes (message type → what to do with it):
// billing's DFT^P03 and MFN^M04, the EHR's and the cabinets' MFN^M16.
import { setTimeout as sleep } from 'node:timers/promises';
import { decideFault, type FaultSwitch } from './faults.ts';
import {
  buildAck,
  hl7Time,
  parseMessage,
  readMsh,
  startMllpServer,
  type AckSpec,
  type Hl7Field,
  type Hl7Message,
  type MllpHandler,
  type MllpServer,
  type MshInfo,
} from './hl7.ts';
import { createRng, deriveSeed } from './prng.ts';
import type { SimStore } from './store.ts';

/** Where in the message an error is: segment, its sequence among segments of that name (1-based), field (none: the segment). */
export type Hl7Location = readonly [string, number, number?];

/** An AE or AR to answer with (HL7 table 0357 code), thrown before anything is applied. */
export class Hl7Refusal extends Error {
  readonly ack: 'AE' | 'AR';
  readonly code: string;
  readonly codeText: string;
  readonly location: Hl7Location | undefined;
  /** Segments after MSA and ERR in the answer (an MFK's MFI and MFAs); none for a plain ACK. */
  readonly segments: readonly string[];
  constructor(ack: 'AE' | 'AR', code: string, codeText: string, message: string, location?: Hl7Location, segments: readonly string[] = []) {
    super(message);
    this.ack = ack;
    this.code = code;
    this.codeText = codeText;
    this.location = location;
    this.segments = segments;
  }

  /** The same refusal with the answer's trailing segments added (they are known only once the message is read). */
  withSegments(segments: readonly string[]): Hl7Refusal {
    return new Hl7Refusal(this.ack, this.code, this.codeText, this.message, this.location, segments);
  }
}

/** What an accepted message is answered with: MSA-3 text and the segments after MSA (an MFK's MFI and MFAs). */
export type DoorAnswer = { text?: string; segments?: readonly string[] };

export type DoorRoute = {
  /** The trigger events taken (MSH-9.2). */
  events: readonly string[];
  /** MSH-9 of the answer, refusals of this route included; a plain ACK^<event>^ACK when absent. */
  answerType?: (msh: MshInfo) => Hl7Field;
  /**
   * Applies an accepted message; runs inside the store's transaction. Refuses by throwing an Hl7Refusal before it
   * mutates anything, so a message is taken whole or not at all.
   */
  apply(message: Hl7Message, msh: MshInfo): DoorAnswer;
};

export type MllpDoor = {
  /** The sim's name, in refusal texts ("billing takes …") and in the seed of its fault draws. */
  name: string;
  /** MSH-3 of every answer. */
  application: string;
  store: SimStore;
  seed: number;
  faults: FaultSwitch;
  /** By message code (MSH-9.1). */
  routes: Record<string, DoorRoute>;
};

const describeRoutes = (routes: Record<string, DoorRoute>): string =>
  Object.entries(routes).flatMap(([code, route]) => route.events.map((event) => `${code}^${event}`)).join(', ');

/** Answers one message: the text to send back. What it applied is in the store's open group commit. */
export function answerMessage(door: MllpDoor, text: string): string {
  const { store } = door;
  let msh: MshInfo | undefined;
  let route: DoorRoute | undefined;
  const reply = (spec: Omit<AckSpec, 'controlId' | 'time' | 'sendingApplication' | 'sendingFacility' | 'messageType'>) =>
    buildAck(msh, {
      ...spec,
      messageType: msh && route?.answerType?.(msh),
      controlId: store.nextId('ACK', 8),
      time: hl7Time(Date.now()),
      sendingApplication: door.application,
      sendingFacility: msh?.receivingFacility || door.application,
    });
  try {
    let message: Hl7Message;
    try {
      message = parseMessage(text);
      msh = readMsh(message);
    } catch (err) {
      throw new Hl7Refusal('AR', '100', 'Segment sequence error', (err as Error).message, ['MSH', 1, 1]);
    }
    const taken = describeRoutes(door.routes);
    const candidate = door.routes[msh.messageCode];
    if (!candidate) {
      throw new Hl7Refusal('AR', '200', 'Unsupported message type', `${door.name} takes ${taken}, not ${msh.messageCode || 'an untyped message'}`, ['MSH', 1, 9]);
    }
    if (!candidate.events.includes(msh.triggerEvent)) {
      throw new Hl7Refusal('AR', '201', 'Unsupported event code', `${door.name} takes ${taken}, not ${msh.messageCode}^${msh.triggerEvent}`, ['MSH', 1, 9]);
    }
    route = candidate;
    if (msh.controlId === '') throw new Hl7Refusal('AR', '101', 'Required field missing', 'MSH-10 message control id is empty', ['MSH', 1, 10]);

    const scope = `mllp ${msh.controlId}`;
    const stored = store.recalled(scope);
    if (stored) return String(stored.body);
    const accepted = route;
    const header = msh;
    return store.transaction(() => {
      const answer = accepted.apply(message, header);
      const text = reply({ code: 'AA', text: answer.text, segments: answer.segments });
      store.remember(scope, { status: 200, body: text });
      return text;
    });
  } catch (err) {
    if (!(err instanceof Hl7Refusal)) throw err;
    // A refusal is not remembered: the same control id can succeed once the data is fixed.
    return store.transaction(() =>
      reply({
        code: err.ack,
        text: err.message,
        error: { code: err.code, codeText: err.codeText, location: err.location, message: err.message },
        segments: err.segments,
      }),
    );
  }
}

/** The listener's message handler, faults first: down drops, errorRate closes without an answer, latency waits. */
export function mllpDoorHandler(door: MllpDoor): MllpHandler {
  const rng = createRng(deriveSeed(door.seed, `${door.name}:mllp-faults`));
  return async (text, conn) => {
    const state = door.faults.state;
    const decision = decideFault(state, 'mllp', state.errorRate > 0 ? rng.next() : 1);
    if (decision.action === 'reset') {
      conn.destroy();
      return undefined;
    }
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.action === 'error') {
      conn.destroy(); // nothing applied, nothing answered: the sender must resend
      return undefined;
    }
    const reply = answerMessage(door, text);
    // Answer only once what was applied is committed; a failed commit closes the connection without an answer.
    await door.store.durable();
    return reply;
  };
}

export function startMllpDoor(door: MllpDoor, options: { host: string; port: number }): Promise<MllpServer> {
  return startMllpServer({
    host: options.host,
    port: options.port,
    handle: mllpDoorHandler(door),
    accept: () => !door.faults.state.down,
  });
}

/**
 * A sim's HTTP handle with its MLLP door started beside it: `mllpUrl` says where the door is, and closing closes
 * both. When the door cannot start, the HTTP side is closed again before the error is passed on.
 */
export async function withMllpDoor<H extends { close(): Promise<void> }>(handle: H, start: () => Promise<MllpServer>): Promise<H & { mllpUrl: string }> {
  try {
    const mllp = await start();
    return {
      ...handle,
      mllpUrl: mllp.url,
      close: async () => {
        await mllp.close();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
