// A fleet snapshot laid out for the placement hot path: one typed array per field instead of
// an object graph per host, traits and labels as bits, host ids as indexes. Built once per
// snapshot, reused by every decision against it (5 ns per host leaves no room for pointer
// chasing through four objects per host or for scanning trait lists).

import { NotFoundError } from '../common/domain-errors.js';
import { usableCapacity, type Resources } from '../common/resources.js';
import type { FilterRejection, HostCandidate } from './placement-types.js';

/** Trait and label bits of one request; `impossible` when it names one no host has. */
export interface BitMask {
  words: Uint32Array;
  impossible: boolean;
}

/** Members of one placement group per host index, and on how many hosts there are any. */
export interface GroupPresence {
  perHost: Int32Array;
  hostsWithMembers: number;
}

/**
 * A ranking the index keeps current: told of every host a `claim` or `refreshUsage` changed
 * (a FlavourRanking of chooseHosts).
 */
export interface KeptRanking {
  hostChanged(h: number): void;
}

/** What the snapshot-only filters left for one request shape; see `prefiltered`. */
export interface Prefiltered {
  survivors: Int32Array;
  rejections: readonly FilterRejection[];
}

/** Request shapes remembered per index; more distinct shapes than this start the memo afresh. */
const PREFILTER_MEMO_LIMIT = 256;

/**
 * Flavour rankings kept per index, each 12 bytes per tree leaf (at most 2 leaves per host of
 * its shape: 240 KB at 10,000 hosts); past this the least recently used is dropped, to be
 * rebuilt if it is asked for again. Every claim updates every live one, O(log n) each.
 */
const FLAVOUR_LIMIT = 32;

const inverse = (usable: number) => (usable > 0 ? 1 / usable : 0);

export class FleetIndex {
  readonly size: number;
  readonly enabled: Uint8Array;
  readonly usableVcpus: Float64Array;
  readonly usableMemoryMiB: Float64Array;
  readonly usableDiskGiB: Float64Array;
  readonly usedVcpus: Float64Array;
  readonly usedMemoryMiB: Float64Array;
  readonly usedDiskGiB: Float64Array;
  /** 1/usable per dimension (0 where the host offers none): weighers multiply, never divide. */
  readonly inverseUsableVcpus: Float64Array;
  readonly inverseUsableMemoryMiB: Float64Array;
  readonly inverseUsableDiskGiB: Float64Array;
  /** Words of trait/label bits per host; host h owns bits[h × wordsPerHost ...]. */
  readonly wordsPerHost: number;
  readonly bits: Uint32Array;

  /** Scratch for one decision at a time (decisions are synchronous): surviving host indexes. */
  readonly survivorScratch: Int32Array;
  /** Scratch: score per surviving host, parallel to `survivorScratch`. */
  readonly scoreScratch: Float64Array;

  private readonly traitBits = new Map<string, number>();
  /** label key -> label value -> bit: no key=value strings to build and hash per host. */
  private readonly labelBits = new Map<string, Map<string, number>>();
  /** Bits handed out so far, to traits and label values alike. */
  private bitCount = 0;
  private readonly indexById = new Map<string, number>();
  private readonly groups = new Map<string, GroupPresence>();
  /** Shared, never written: the member counts of a group nobody belongs to. */
  private readonly noMembers: Int32Array;
  private readonly prefilterMemo = new Map<string, Prefiltered>();
  /** Host -> position among a shape's survivors; weak, so it lives as long as the shape's memo entry or a flavour using it. */
  private readonly survivorPositionMemo = new WeakMap<Prefiltered, Int32Array>();
  /** Live flavour rankings by key, least recently used first; every `claim` updates them all. */
  private readonly flavours = new Map<string, KeptRanking>();

  /**
   * The hosts' numbers are copied: later changes to the host objects are not seen. Record
   * placements made from this index with `claim`; index a fresh snapshot for anything else.
   */
  constructor(readonly hosts: readonly HostCandidate[]) {
    const size = hosts.length;
    this.size = size;
    // One interning pass: each host's trait/label bit numbers, flat, host h owning
    // bitNumbers[bitStarts[h], bitStarts[h + 1]); the word count is known only at the end.
    const bitNumbers: number[] = [];
    const bitStarts = new Int32Array(size + 1);
    for (let h = 0; h < size; h++) {
      const host = hosts[h]!;
      bitStarts[h] = bitNumbers.length;
      for (const trait of host.traits) bitNumbers.push(this.intern(this.traitBits, trait));
      for (const key in host.labels) bitNumbers.push(this.intern(this.labelValueBits(key), host.labels[key]!));
    }
    bitStarts[size] = bitNumbers.length;
    this.wordsPerHost = Math.max(1, Math.ceil(this.bitCount / 32));
    this.bits = new Uint32Array(size * this.wordsPerHost);
    this.enabled = new Uint8Array(size);
    this.usableVcpus = new Float64Array(size);
    this.usableMemoryMiB = new Float64Array(size);
    this.usableDiskGiB = new Float64Array(size);
    this.usedVcpus = new Float64Array(size);
    this.usedMemoryMiB = new Float64Array(size);
    this.usedDiskGiB = new Float64Array(size);
    this.inverseUsableVcpus = new Float64Array(size);
    this.inverseUsableMemoryMiB = new Float64Array(size);
    this.inverseUsableDiskGiB = new Float64Array(size);
    this.noMembers = new Int32Array(size);
    this.survivorScratch = new Int32Array(size);
    this.scoreScratch = new Float64Array(size);

    for (let h = 0; h < size; h++) {
      const host = hosts[h]!;
      this.indexById.set(host.id, h);
      this.enabled[h] = host.state === 'enabled' ? 1 : 0;
      const usable = usableCapacity(host.physical, host.ratios);
      this.usableVcpus[h] = usable.vcpus;
      this.usableMemoryMiB[h] = usable.memoryMiB;
      this.usableDiskGiB[h] = usable.diskGiB;
      // Foreign guests' resources are as taken as allocations.
      this.usedVcpus[h] = host.used.vcpus + (host.foreign?.vcpus ?? 0);
      this.usedMemoryMiB[h] = host.used.memoryMiB + (host.foreign?.memoryMiB ?? 0);
      this.usedDiskGiB[h] = host.used.diskGiB + (host.foreign?.diskGiB ?? 0);
      this.inverseUsableVcpus[h] = inverse(usable.vcpus);
      this.inverseUsableMemoryMiB[h] = inverse(usable.memoryMiB);
      this.inverseUsableDiskGiB[h] = inverse(usable.diskGiB);
      host.groupMembers.forEach((members, group) => this.addMembers(group, h, members));
      for (let b = bitStarts[h]!; b < bitStarts[h + 1]!; b++) this.setBit(h, bitNumbers[b]!);
    }
  }

  static of(hosts: readonly HostCandidate[] | FleetIndex): FleetIndex {
    return hosts instanceof FleetIndex ? hosts : new FleetIndex(hosts);
  }

  /** Host index for an id, or -1 when the fleet has no such host. */
  indexOf(hostId: string): number {
    return this.indexById.get(hostId) ?? -1;
  }

  /** What host `h` has claimed so far, including `claim`s against this index and what foreign guests take. */
  usedOf(h: number): Resources {
    return { vcpus: this.usedVcpus[h]!, memoryMiB: this.usedMemoryMiB[h]!, diskGiB: this.usedDiskGiB[h]! };
  }

  /** Host `h`'s physical capacity × overcommit ratios, rounded down. */
  usableOf(h: number): Resources {
    return { vcpus: this.usableVcpus[h]!, memoryMiB: this.usableMemoryMiB[h]!, diskGiB: this.usableDiskGiB[h]! };
  }

  /** Bits for traits the host must have (or must not: callers decide). */
  traitMask(traits: readonly string[]): BitMask {
    return this.mask(traits.map((t) => this.traitBits.get(t)));
  }

  labelMask(labels: Readonly<Record<string, string>>): BitMask {
    return this.mask(Object.keys(labels).map((k) => this.labelBits.get(k)?.get(labels[k]!)));
  }

  /** True when host `h` has every bit of `mask`. */
  hasAll(h: number, mask: Uint32Array): boolean {
    const base = h * this.wordsPerHost;
    for (let w = 0; w < mask.length; w++) if ((this.bits[base + w]! & mask[w]!) !== mask[w]) return false;
    return true;
  }

  /** True when host `h` has any bit of `mask`. */
  hasAny(h: number, mask: Uint32Array): boolean {
    const base = h * this.wordsPerHost;
    for (let w = 0; w < mask.length; w++) if ((this.bits[base + w]! & mask[w]!) !== 0) return true;
    return false;
  }

  /** Per-host member counts of a group (all zero for a group with no members yet). */
  groupPresence(group: string): GroupPresence {
    return this.groups.get(group) ?? { perHost: this.noMembers, hostsWithMembers: 0 };
  }

  /**
   * The group's own member counts per host, which every later `claim` for the group updates (for
   * a group with no members yet it is created now, all zero): what a flavour ranking keeps reading.
   */
  liveMemberCounts(group: string): Int32Array {
    return this.presenceOf(group).perHost;
  }

  /**
   * Records a placement made from this index (capacity, and a group member if any), so that the
   * next decision against it sees the host as fuller. Filters that read only the snapshot's fixed
   * facts (state, traits, labels) are unaffected, which is why their results may be memoized.
   */
  claim(hostId: string, resources: Resources, group?: string): void {
    const h = this.indexOf(hostId);
    if (h < 0) throw new NotFoundError(`host ${hostId} is not in this fleet index`, { hostId });
    this.usedVcpus[h]! += resources.vcpus;
    this.usedMemoryMiB[h]! += resources.memoryMiB;
    this.usedDiskGiB[h]! += resources.diskGiB;
    if (group !== undefined) this.addMembers(group, h, 1);
    for (const ranking of this.flavours.values()) ranking.hostChanged(h);
  }

  /**
   * Sets host `hostId`'s usage (allocations plus foreign guests, `used`) and its group members to
   * a fresh reading: an incremental refresh of a host whose fixed facts (state, traits, labels,
   * capacity) did not change, so the memoized prefilters still hold.
   */
  refreshUsage(hostId: string, used: Resources, groupMembers: ReadonlyMap<string, number>): void {
    const h = this.indexOf(hostId);
    if (h < 0) throw new NotFoundError(`host ${hostId} is not in this fleet index`, { hostId });
    this.usedVcpus[h] = used.vcpus;
    this.usedMemoryMiB[h] = used.memoryMiB;
    this.usedDiskGiB[h] = used.diskGiB;
    for (const [group, presence] of this.groups) if (presence.perHost[h]! > 0 && !groupMembers.has(group)) this.setMembers(presence, h, 0);
    groupMembers.forEach((members, group) => this.setMembers(this.presenceOf(group), h, members));
    for (const ranking of this.flavours.values()) ranking.hostChanged(h);
  }

  private setMembers(presence: GroupPresence, h: number, members: number): void {
    const before = presence.perHost[h]!;
    const after = Math.max(0, members);
    if (before === 0 && after > 0) presence.hostsWithMembers++;
    else if (before > 0 && after === 0) presence.hostsWithMembers--;
    presence.perHost[h] = after;
  }

  /**
   * What the snapshot-only filters leave for a request shape, computed on the first request of
   * that shape and remembered: schedulers see the same few shapes over and over.
   */
  prefiltered(shapeKey: string, compute: () => Prefiltered): Prefiltered {
    let result = this.prefilterMemo.get(shapeKey);
    if (result === undefined) {
      if (this.prefilterMemo.size >= PREFILTER_MEMO_LIMIT) this.prefilterMemo.clear();
      result = compute();
      this.prefilterMemo.set(shapeKey, result);
    }
    return result;
  }

  /** Host index -> its position in `prefiltered.survivors`, or -1; computed once per shape. */
  survivorPositions(prefiltered: Prefiltered): Int32Array {
    let positions = this.survivorPositionMemo.get(prefiltered);
    if (positions === undefined) {
      positions = new Int32Array(this.size).fill(-1);
      const survivors = prefiltered.survivors;
      for (let p = 0; p < survivors.length; p++) positions[survivors[p]!] = p;
      this.survivorPositionMemo.set(prefiltered, positions);
    }
    return positions;
  }

  /**
   * The live ranking of a claim flavour (see FlavourRanking), built on its first use and then
   * kept current by `claim`, which makes keeping it cost O(log n) per claim per live flavour.
   */
  flavourRanking<Ranking extends KeptRanking>(key: string, build: () => Ranking): Ranking {
    // A key always names rankings of one kind (its builder's): the cast only restores that type.
    let ranking = this.flavours.get(key) as Ranking | undefined;
    if (ranking === undefined) {
      if (this.flavours.size >= FLAVOUR_LIMIT) this.flavours.delete(this.flavours.keys().next().value!);
      ranking = build();
    } else {
      this.flavours.delete(key); // re-inserted below: the map's order is least recently used first
    }
    this.flavours.set(key, ranking);
    return ranking;
  }

  private addMembers(group: string, h: number, members: number): void {
    if (members <= 0) return;
    const presence = this.presenceOf(group);
    if (presence.perHost[h] === 0) presence.hostsWithMembers++;
    presence.perHost[h]! += members;
  }

  private presenceOf(group: string): GroupPresence {
    let presence = this.groups.get(group);
    if (presence === undefined) {
      presence = { perHost: new Int32Array(this.size), hostsWithMembers: 0 };
      this.groups.set(group, presence);
    }
    return presence;
  }

  private labelValueBits(key: string): Map<string, number> {
    let values = this.labelBits.get(key);
    if (values === undefined) {
      values = new Map();
      this.labelBits.set(key, values);
    }
    return values;
  }

  /** The bit number of `name` in `bitsByName`, assigning the next free one on first sight. */
  private intern(bitsByName: Map<string, number>, name: string): number {
    let bit = bitsByName.get(name);
    if (bit === undefined) {
      bit = this.bitCount++;
      bitsByName.set(name, bit);
    }
    return bit;
  }

  private setBit(h: number, bit: number): void {
    this.bits[h * this.wordsPerHost + (bit >>> 5)]! |= 1 << (bit & 31);
  }

  private mask(bits: ReadonlyArray<number | undefined>): BitMask {
    const words = new Uint32Array(this.wordsPerHost);
    let impossible = false;
    for (const bit of bits) {
      if (bit === undefined) impossible = true;
      else words[bit >>> 5]! |= 1 << (bit & 31);
    }
    return { words, impossible };
  }
}
