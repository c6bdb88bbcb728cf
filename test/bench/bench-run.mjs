// What the HTTP benchmarks (scoring, public, auth) share around their measurement: stopping the
// servers they started, and running main() so that the clean-up happens on every way out
// (success, failure, Ctrl-C).

/** Stops child processes: SIGTERM, then SIGKILL for any still running after 10 s. */
export async function stopChildren(children) {
  for (const p of children) {
    p.removeAllListeners('exit');
    if (p.exitCode === null && p.signalCode === null) {
      const done = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
  }
}

/** Runs main(), then cleanup() whatever happened; SIGINT/SIGTERM also clean up (exit 130). */
export async function runBench(main, cleanup, what = 'stopping the servers and dropping the database') {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\n${signal}: ${what}`);
      cleanup().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await cleanup().catch((e) => console.error('cleanup failed:', e));
  }
}
