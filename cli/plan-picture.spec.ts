import type { components } from '../clients/typescript/index.js';
import { planPicture } from './plan-picture.js';

type Plan = components['schemas']['PlanDto'];
type Host = components['schemas']['HostDto'];

const host = (id: string, allocatedMiB: number) =>
  ({ id, name: id, usable: { memoryMiB: 8192 }, allocated: { memoryMiB: allocatedMiB } }) as Host;
const step = (seq: number, from: string, to: string, status: string) =>
  ({
    seq,
    instanceId: `i${seq}`,
    instanceName: `vm${seq}`,
    fromHostId: from,
    toHostId: to,
    mode: 'live',
    memoryMiB: 1024,
    status,
  }) as Plan['steps'][number];

describe('plan picture', () => {
  it('applies moves still to run for "after" and undoes moves already run for "before"', () => {
    // h1 → h2 already ran (h2 now holds it); h1 → h3 still to run.
    const plan = {
      scopeHostIds: ['h1', 'h2', 'h3'],
      freedHostIds: ['h1'],
      steps: [step(0, 'h1', 'h2', 'succeeded'), step(1, 'h1', 'h3', 'pending'), step(2, 'h3', 'h2', 'failed')],
    } as unknown as Plan;
    const picture = planPicture(plan, [host('h1', 1024), host('h2', 3072), host('h3', 0), host('other', 4096)]);
    expect(picture.map((p) => [p.name, p.beforeMiB, p.afterMiB, p.freed])).toEqual([
      ['h1', 2048, 0, true],
      ['h2', 2048, 3072, false],
      ['h3', 0, 1024, false],
    ]);
  });
});
