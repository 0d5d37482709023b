// Entry of export workers. The server runs TypeScript through tsx, but a worker thread does
// not inherit the parent's module hooks (nor `--import tsx` in execArgv on Node 20), so the
// worker registers tsx itself and then loads the TypeScript entry it was given.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
