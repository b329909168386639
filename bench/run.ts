// `npm run bench [-- sweep startup slash ...]`: runs the benchmarks, each reported against a baseline
// measured in the same run. BENCH_SIZES=10000,100000 limits the sweep sizes.
import { benchSlash } from "./slash.ts";
import { benchStartup } from "./startup.ts";
import { benchSweep } from "./sweep.ts";

const wanted = new Set(process.argv.slice(2));
const run = (name: string) => wanted.size === 0 || wanted.has(name);
const machine = `${(await import("node:os")).cpus().length} cores, ${Math.round((await import("node:os")).totalmem() / 2 ** 30)} GiB`;
console.log(`Benchmarks on ${new Date().toISOString().slice(0, 10)}, ${machine}, Node ${process.version}`);

if (run("sweep")) await benchSweep((process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number));
if (run("startup")) await benchStartup();
if (run("slash")) await benchSlash();
