// CPU time of processes, from Linux's /proc: what a benchmark's work cost in CPU, whatever else
// the machine was doing meanwhile (wall-clock rates move with load; CPU per request barely does).
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture we run

/** utime + stime of process `pid` (or of the thread whose stat file is `statFile`) in milliseconds (0 once it has gone). */
export function processCpuMs(pid: number, statFile = `/proc/${pid}/stat`): number {
  try {
    // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Pids of the processes whose command name is `name` (e.g. every PostgreSQL backend). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * CPU milliseconds used by processes named `name` between now and `stop()`. A process that has
 * ended by then is left out (a pool's backends live through a whole run).
 */
export function cpuMeter(name: string): { stop(): number } {
  const start = new Map(pidsNamed(name).map((pid) => [pid, processCpuMs(pid)]));
  return {
    stop() {
      let used = 0;
      for (const pid of new Set([...start.keys(), ...pidsNamed(name)])) {
        const now = processCpuMs(pid);
        if (now > 0) used += now - (start.get(pid) ?? 0);
      }
      return used;
    },
  };
}
