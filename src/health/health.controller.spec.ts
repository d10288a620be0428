import { hypervisorsReady } from './health.controller.js';

describe('hypervisorsReady', () => {
  it('is ready with no hosts (a fresh install) and while any host answers', () => {
    expect(hypervisorsReady(0, 0)).toBe(true);
    expect(hypervisorsReady(3, 0)).toBe(true);
    expect(hypervisorsReady(3, 2)).toBe(true);
  });

  it('is not ready when no host answers: the process cannot reach libvirt at all', () => {
    expect(hypervisorsReady(1, 1)).toBe(false);
    expect(hypervisorsReady(3, 3)).toBe(false);
  });
});
