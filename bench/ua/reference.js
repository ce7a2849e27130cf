// Throughput of uap-core's reference implementation (npm uap-ref-impl) over the
// user agents of tests/test_ua.yaml: ua + os + device per string, one thread,
// no cache. Prints the line run.sh reads:
//   reference strings_per_second=<rate> strings=<n>
// Usage: node reference.js REGEXES_YAML TEST_UA_YAML [SECONDS]
'use strict';

const fs = require('fs');
const yaml = require('js-yaml');
const refImpl = require('uap-ref-impl');

const [regexesPath, testUaPath, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 3);
const parser = refImpl(yaml.load(fs.readFileSync(regexesPath, 'utf8')));
const strings = yaml.load(fs.readFileSync(testUaPath, 'utf8')).test_cases.map(
    (c) => c.user_agent_string);

let sink = 0;
function passOverAll() {
  for (const s of strings) {
    const r = parser.parse(s);
    sink += r.ua.family.length + r.os.family.length + r.device.family.length;
  }
}

passOverAll();  // warm-up: JIT and regex compilation
// Per CPU-second of this process (user + system, every thread: the garbage
// collector's work counts), as ua_bench counts Masthead's: on a machine shared
// with other work, wall-clock rates would measure the neighbours.
let parsed = 0;
const start = process.cpuUsage();
let elapsed = 0;
do {
  passOverAll();
  parsed += strings.length;
  const used = process.cpuUsage(start);
  elapsed = (used.user + used.system) / 1e6;
} while (elapsed < seconds);
console.log(`reference strings_per_second=${Math.round(parsed / elapsed)} strings=${strings.length}` +
            (sink < 0 ? ' ' : ''));
