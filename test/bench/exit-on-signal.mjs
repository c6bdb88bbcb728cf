// Preloaded into the service only when the benchmark profiles it (BENCH_CPU_PROF): SIGUSR2 ends the
// process with process.exit(), so that node --cpu-prof writes its profile (a signal death would not).
process.on('SIGUSR2', () => process.exit(0));
