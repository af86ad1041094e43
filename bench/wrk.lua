-- wrk script for bench/run.py --load: optional method, body, cookie and Stripe signature from
-- the environment, and WRK_PATHS_FILE: one path a line, each request the next one (threads
-- interleave, so no two requests of a run ask for the same path until the list wraps round);
-- prints one machine-readable summary line.
wrk.method = os.getenv("WRK_METHOD") or "GET"
wrk.headers["X-Forwarded-Proto"] = "https"
local cookie = os.getenv("WRK_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
local body_file = os.getenv("WRK_BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end
local signature = os.getenv("WRK_SIGNATURE")
if signature and signature ~= "" then wrk.headers["Stripe-Signature"] = signature end

local paths_file = os.getenv("WRK_PATHS_FILE")
if paths_file and paths_file ~= "" then
  local paths = {}
  for line in io.lines(paths_file) do paths[#paths + 1] = line end
  local threads = 0
  setup = function(thread)
    thread:set("first", threads)
    threads = threads + 1
  end
  local step = 0
  request = function()
    step = step + 1
    -- "first" is this thread's number (set by setup); wrk runs two threads.
    return wrk.format(nil, paths[((first or 0) + 2 * step) % #paths + 1])
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_s": %.3f, "rps": %.2f, "p50_ms": %.2f, ' ..
    '"p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "bytes": %d, "non_2xx_3xx": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout))
end
