import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** 200 responses whose body held a GraphQL `errors` entry; counted by wrk for sequenced runs only, else 0. */
  graphqlErrors: number;
}

export interface LoadOptions {
  url: string;
  /**
   * The request body. With `sequenceFrom`, every `{{n}}` in it becomes a number that grows by one
   * per request, starting there (a different member per check-in, say).
   */
  body: string;
  /**
   * Bodies to send in turn instead of `body` (which then only names the load in errors): request i
   * sends `bodies[(sequenceFrom + i) % bodies.length]`, so a run can spread over facilities, days
   * and members that a single number cannot name. Counts GraphQL errors like `sequenceFrom`.
   */
  bodies?: readonly string[];
  sequenceFrom?: number;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export type LoadGenerator = 'wrk' | 'autocannon';

/**
 * The load generator: wrk when it is on the PATH (Debian's `wrk` package), else autocannon.
 * autocannon runs in the benchmark's own Node process and tops out near 20-30k req/s on one core,
 * below what a bare Fastify server answers; wrk (C, epoll) runs in a process of its own and does
 * not, so a comparison with a fast server measures the server rather than the client.
 * BENCH_LOAD=autocannon forces autocannon.
 */
export const loadGenerator: LoadGenerator =
  process.env.BENCH_LOAD === 'autocannon' || !hasWrk() ? 'autocannon' : 'wrk';

/** HTTP POST load; latency percentiles are over every response. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return loadGenerator === 'wrk' ? runWrk(options) : runAutocannon(options);
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version prints its banner and exits 1; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** wrk's Lua: the request, and a last line of JSON with the counts and percentiles (µs). */
const WRK_SCRIPT = `
local f = io.open(os.getenv("BENCH_REQUEST"), "r")
local spec = f:read("*a")
f:close()
local headers_part, body = spec:match("^(.-)\\n\\n(.*)$")
wrk.method = "POST"
wrk.body = body
for line in headers_part:gmatch("[^\\n]+") do
  local name, value = line:match("^([^:]+): (.*)$")
  wrk.headers[name] = value
end
local sequence = tonumber(os.getenv("BENCH_SEQUENCE_FROM") or "")
local n = sequence or 0
local bodies_file = os.getenv("BENCH_BODIES")
if bodies_file then
  local bodies = {}
  for line in io.lines(bodies_file) do bodies[#bodies + 1] = line end
  function request()
    local chosen = bodies[n % #bodies + 1]
    n = n + 1
    return wrk.format(nil, nil, nil, chosen)
  end
elseif sequence then
  function request()
    local numbered = body:gsub("{{n}}", tostring(n))
    n = n + 1
    return wrk.format(nil, nil, nil, numbered)
  end
end
graphql_errors = 0
-- Reading bodies costs wrk time: only where a run asks for it (the servers' answers are then checked).
if os.getenv("BENCH_GRAPHQL_ERRORS") then
  function response(status, headers, response_body)
    if status == 200 and response_body:find('"errors"', 1, true) then graphql_errors = graphql_errors + 1 end
  end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local e = summary.errors
  local ge = 0
  for _, thread in ipairs(threads) do ge = ge + (thread:get("graphql_errors") or 0) end
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50":%d,"p95":%d,"p99":%d,"errors":%d,"non2xx":%d,"graphqlErrors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status, ge))
end
`;

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'clubland-wrk-'));
  try {
    const headers = { 'content-type': 'application/json', ...options.headers };
    const request = join(dir, 'request');
    writeFileSync(
      request,
      `${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\n')}\n\n${options.body}`,
    );
    writeFileSync(join(dir, 'script.lua'), WRK_SCRIPT);
    const bodies = join(dir, 'bodies');
    // One JSON body a line (JSON.stringify writes none with a newline inside).
    if (options.bodies) writeFileSync(bodies, `${options.bodies.join('\n')}\n`);
    const counted = options.sequenceFrom !== undefined || options.bodies !== undefined;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'wrk',
        [
          '-t1',
          `-c${options.connections}`,
          `-d${options.durationSeconds}s`,
          '--timeout',
          '10s',
          '-s',
          join(dir, 'script.lua'),
          options.url,
        ],
        {
          env: {
            ...process.env,
            BENCH_REQUEST: request,
            ...(counted
              ? { BENCH_SEQUENCE_FROM: String(options.sequenceFrom ?? 0), BENCH_GRAPHQL_ERRORS: '1' }
              : {}),
            ...(options.bodies ? { BENCH_BODIES: bodies } : {}),
          },
        },
        (error, out) => (error ? reject(error) : resolve(out)),
      );
    });
    const line = stdout.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    const raw = JSON.parse(line.slice('BENCH_RESULT '.length)) as Record<string, number>;
    const seconds = raw.durationUs! / 1e6;
    return {
      requests: raw.requests!,
      requestsPerSecond: Math.round(raw.requests! / seconds),
      p50Ms: round(raw.p50! / 1000),
      p95Ms: round(raw.p95! / 1000),
      p99Ms: round(raw.p99! / 1000),
      errors: raw.errors!,
      non2xx: raw.non2xx!,
      graphqlErrors: raw.graphqlErrors!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** autocannon from this process; percentiles computed from every response time (its summary has no p95). */
async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  let next = options.sequenceFrom ?? 0;
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: options.url,
      method: 'POST',
      body: options.body,
      ...(options.sequenceFrom === undefined && options.bodies === undefined
        ? {}
        : {
            requests: [
              {
                setupRequest: (request: autocannon.Request) => ({
                  ...request,
                  body: options.bodies
                    ? options.bodies[next++ % options.bodies.length]!
                    : options.body.replaceAll('{{n}}', String(next++)),
                }),
              },
            ],
          }),
      headers: { 'content-type': 'application/json', ...options.headers },
      connections: options.connections,
      duration: options.durationSeconds,
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
  const result = await done;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / options.durationSeconds),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    p99Ms: round(at(0.99)),
    errors: result.errors,
    non2xx: result.non2xx,
    graphqlErrors: 0,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
