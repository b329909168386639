// Run from source (tsx, vitest), a worker thread does not inherit the TypeScript loader: this
// registers it in the thread, then imports the worker module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
