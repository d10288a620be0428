// Preloaded into the Prisma 6 CLI. Its WebAssembly schema engine arms 10 s timers that keep
// Node alive for 10 s after the work is done. Unref'd timers still fire while the database
// socket keeps the process busy, but no longer hold an otherwise finished process open.
const armTimer = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(fn, ms, ...args) {
  const timer = armTimer(fn, ms, ...args);
  if (ms >= 5000 && timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
