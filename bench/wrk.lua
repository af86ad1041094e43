-- wrk script for bench/run.py --load: optional method, body, cookie and Stripe signature from
-- the environment; prints one machine-readable summary line.
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
