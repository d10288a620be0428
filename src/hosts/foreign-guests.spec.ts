import { foreignUsage, type ForeignGuest } from './foreign-guests.js';

const guest = (name: string, memoryMiB: number, active = true): ForeignGuest => ({
  uuid: name,
  name,
  state: active ? 'running' : 'shutoff',
  vcpus: 2,
  memoryMiB,
  active,
});

describe('foreignUsage', () => {
  it('counts the active guests only, each charged its size plus its overhead', () => {
    const guests = [guest('a', 1024), guest('b', 512), guest('off', 4096, false)];
    expect(foreignUsage(guests)).toEqual({ vcpus: 4, memoryMiB: 1536 });
    expect(foreignUsage(guests, () => 32)).toEqual({ vcpus: 4, memoryMiB: 1600 });
  });
});
