-- wrk script for scripts/soak.sh: POSTs SOAK_BODY with the master key in SOAK_KEY, writes the x-request-id of every
-- 2xx answer to SOAK_DIR/ids-N.txt (one file per thread) and prints one "SOAK k=v ..." line at the end.
wrk.method = "POST"
wrk.body = os.getenv("SOAK_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SOAK_KEY")

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  ids = io.open(os.getenv("SOAK_DIR") .. "/ids-" .. id .. ".txt", "w")
  ids:setvbuf("line")
  bad = 0
  noid = 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    local rid = headers["x-request-id"] or headers["X-Request-Id"]
    if rid then ids:write(rid, "\n") else noid = noid + 1 end
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad, noid = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad")
    noid = noid + t:get("noid")
  end
  local e = summary.errors
  io.write(string.format("SOAK requests=%d non2xx=%d noid=%d timeouts=%d connect=%d read=%d write=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f rps=%.0f\n",
    summary.requests, bad, noid, e.timeout, e.connect, e.read, e.write, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
