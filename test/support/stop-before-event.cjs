/**
 * Preloaded (`node --require`) into a `pricesense run`/`redrive` process by a kill test, so the test
 * can SIGKILL it at an exact point of its history instead of whenever its polling happens to look.
 *
 * Before the process appends an event whose type matches STOP_BEFORE_EVENT_TYPE to the history
 * file STOP_BEFORE_EVENT_FILE, it writes that event to STOP_BEFORE_EVENT_PENDING and stops itself
 * (SIGSTOP). The test reads the history and the pending event, then either SIGKILLs the process
 * group (the event is never written: the process died just before it) or deletes the pending file
 * and sends SIGCONT (the event is written and the run goes on). Only this one file is gated; the
 * product code runs unchanged.
 */
'use strict';
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');
const { resolve } = require('node:path');

const historyFile = process.env.STOP_BEFORE_EVENT_FILE;
const pendingFile = process.env.STOP_BEFORE_EVENT_PENDING;
const typePattern = process.env.STOP_BEFORE_EVENT_TYPE;
if (!historyFile || !pendingFile || !typePattern) {
  throw new Error('stop-before-event.cjs needs STOP_BEFORE_EVENT_FILE, STOP_BEFORE_EVENT_PENDING and STOP_BEFORE_EVENT_TYPE');
}
const gated = resolve(historyFile);
const stopsBefore = new RegExp(typePattern);
const append = fs.appendFileSync;

fs.appendFileSync = function appendFileSyncStoppingBeforeEvent(path, data, ...rest) {
  if (typeof path === 'string' && resolve(path) === gated) {
    const type = JSON.parse(String(data)).type;
    if (stopsBefore.test(type)) {
      // Renamed into place so the test never reads half of it.
      fs.writeFileSync(`${pendingFile}.tmp`, data);
      fs.renameSync(`${pendingFile}.tmp`, pendingFile);
      process.kill(process.pid, 'SIGSTOP');
    }
  }
  return append.call(this, path, data, ...rest);
};
// ESM modules importing { appendFileSync } from 'node:fs' see the wrapper too.
syncBuiltinESMExports();
