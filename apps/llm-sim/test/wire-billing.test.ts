import { BillingRecorder } from '../src/billing-recorder';
import { lionJudgePrompt, openaiClient, anthropicClient, startTestSimulator } from './fixtures';
import { connect } from 'node:net';
import type { RunningSimulator } from '../src';

describe('BillingRecorder (pure)', () => {
  test('counts a key billed again, except the one deliberate re-ask each malformed judge reply owes', () => {
    const billing = new BillingRecorder();
    billing.recordBilled('a', false);
    billing.recordBilled('b', true); // malformed: one re-ask of b is expected
    billing.recordBilled('b', false); // the re-ask
    billing.recordBilled('b', false); // a real repeat
    billing.recordBilled('a', false); // a real repeat
    expect(billing.snapshot()).toEqual({ inFlight: 0, entered: 0, billed: 5, undelivered: 0, distinctBilled: 2, billedAgain: 2 });
  });

  test('property: billedAgain = billed - distinct - re-asks owed and used, for any sequence', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 200; run++) {
      const billing = new BillingRecorder();
      const owed = new Map<string, number>();
      const seen = new Set<string>();
      let used = 0;
      let billed = 0;
      for (let i = 0; i < 50; i++) {
        const key = `k${Math.floor(random() * 8)}`;
        const malformed = random() < 0.3;
        if (seen.has(key) && (owed.get(key) ?? 0) > 0) {
          owed.set(key, owed.get(key)! - 1);
          used++;
        }
        seen.add(key);
        if (malformed) owed.set(key, (owed.get(key) ?? 0) + 1);
        billing.recordBilled(key, malformed);
        billed++;
      }
      const wire = billing.snapshot();
      expect(wire.billed).toBe(billed);
      expect(wire.distinctBilled).toBe(seen.size);
      expect(wire.billedAgain).toBe(billed - seen.size - used);
    }
  });
});

describe('the simulator bills per request body, and counts what is on the wire', () => {
  let sim: RunningSimulator;
  afterEach(() => sim.close());

  test('the same body sent twice is billed twice; different bodies are distinct', async () => {
    sim = await startTestSimulator();
    const client = openaiClient(sim);
    const ask = (content: string) => client.chat.completions.create({ model: 'sim-student', messages: [{ role: 'user', content }] });
    await ask('one');
    await ask('two');
    await ask('one');
    expect(sim.stats().wire).toEqual({ inFlight: 0, entered: 3, billed: 3, undelivered: 0, distinctBilled: 2, billedAgain: 1 });
    sim.resetStats();
    expect(sim.stats().wire).toEqual({ inFlight: 0, entered: 0, billed: 0, undelivered: 0, distinctBilled: 0, billedAgain: 0 });
  });

  test('requests waiting for their reply are in flight; a client that gives up has still been billed', async () => {
    sim = await startTestSimulator({ latencyMs: 600, jitterMs: 0 });
    const client = openaiClient(sim, { timeout: 200 });
    const gaveUp = Promise.allSettled(
      ['a', 'b', 'c'].map((content) => client.chat.completions.create({ model: 'sim-student', messages: [{ role: 'user', content }] })),
    );
    const deadline = Date.now() + 2000;
    while (sim.inFlight() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(sim.inFlight()).toBe(3);
    expect((await gaveUp).every((r) => r.status === 'rejected')).toBe(true);
    while (sim.inFlight() > 0 && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 10));
    expect(sim.stats().wire).toEqual({ inFlight: 0, entered: 3, billed: 3, undelivered: 3, distinctBilled: 3, billedAgain: 0 });
    expect(sim.stats().byModel['sim-student']?.ok ?? 0).toBe(0);
  });

  test('a client that closed its side of the connection (a killed process) is billed, not delivered to', async () => {
    sim = await startTestSimulator({ latencyMs: 300, jitterMs: 0, requireApiKey: false });
    const body = JSON.stringify({ model: 'sim-student', messages: [{ role: 'user', content: 'killed mid-request' }] });
    const socket = connect(sim.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    socket.end(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const deadline = Date.now() + 3000;
    while (sim.stats().wire.billed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sim.stats().wire).toMatchObject({ entered: 1, billed: 1, undelivered: 1 });
    socket.destroy();
  });

  test('asking again after a malformed judge reply is not counted as paid twice', async () => {
    sim = await startTestSimulator({ faults: { malformedJudgeRate: 1 } });
    const client = anthropicClient(sim);
    const judge = () =>
      client.messages.create({ model: 'sim-judge', max_tokens: 300, messages: [{ role: 'user', content: lionJudgePrompt('Why is the sky blue?', 'Rayleigh.', 'Magic.') }] });
    await judge();
    await judge();
    expect(sim.stats().injected.malformed_judge).toBe(2);
    expect(sim.stats().wire).toMatchObject({ billed: 2, distinctBilled: 1, billedAgain: 0 });
    sim.configure({ faults: {} });
    await judge(); // owed one more re-ask by the second malformed reply
    await judge(); // nothing owed: paid twice
    expect(sim.stats().wire).toMatchObject({ billed: 4, distinctBilled: 1, billedAgain: 1 });
  });
});
