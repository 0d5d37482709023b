/** What the figures were measured on, and how busy it was: they mean little without it. */
import os from 'node:os';

/** The machine and runtime of a benchmark run. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
}

/** How busy the whole machine was during a run, from every process, the bench's included. */
export interface MachineLoad {
  /** 1-minute load average when the run started. */
  loadBefore: number;
  /** Cores kept busy on average during the run (the bench itself accounts for about one). */
  busyCores: number;
}

/** Describe this machine through node:os. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * Start watching the machine's load; call the result at the end of the run. Other work on
 * the machine (a test suite, a browser) shows up as busy cores well above one.
 */
export function watchLoad(): () => MachineLoad {
  const loadBefore = os.loadavg()[0];
  const start = cpuTimes();
  return () => {
    const end = cpuTimes();
    const cores = os.cpus().length;
    const busyCores = end.total > start.total ? ((end.busy - start.busy) / (end.total - start.total)) * cores : Number.NaN;
    return { loadBefore: Math.round(loadBefore * 100) / 100, busyCores: Math.round(busyCores * 100) / 100 };
  };
}

/** One line for reports: "AMD EPYC · 2 cores · 23.5 GiB RAM · Node v20 · Linux …". */
export function describeMachine(info: MachineInfo): string {
  return `${info.cpu} · ${info.cores} cores · ${info.ramGiB} GiB RAM · Node ${info.node} · ${info.os}`;
}

/** One line on how busy the machine was. */
export function describeLoad(load: MachineLoad): string {
  return `load average ${load.loadBefore} at the start; ${load.busyCores} of the cores busy on average during the run (the bench and the server under test account for about 1)`;
}
