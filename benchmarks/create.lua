-- wrk script: POST /create with a fresh transaction_id on every request.
--
--   wrk -t2 -c64 -d10s --timeout 10s -s benchmarks/create.lua http://127.0.0.1:8080 -- \
--       API_ID API_KEY TIMESTAMP SIGNATURE BASE_MS BODY_PREFIX BODY_SUFFIX
--
-- The signature covers only api_id + ":" + timestamp and the server accepts a
-- timestamp within +-300 s, so the harness (create_load.py) signs once per wrk
-- run with the project's own signing code and hands the headers in here.
--
-- transaction_id = api_id + YYYYMMDDhhmmssSSS. Several requests fall in one real
-- millisecond, so each request takes the next millisecond of a synthetic clock
-- instead: thread i counts up from BASE_MS + i * STRIDE_MS, one millisecond per
-- request. The harness moves BASE_MS past every id already used before each run,
-- so no id repeats within a database (a repeat would be an idempotent replay).
-- The body is the spec's example: BODY_PREFIX .. transaction_id .. BODY_SUFFIX.

local STRIDE_MS = 1000000000 -- 11.6 days of ids per thread

local thread_count = 0

function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
end

local api_id, prefix, suffix, next_ms
local stamp_second, stamp_text = -1, ""

function init(args)
   api_id = args[1]
   wrk.method = "POST"
   wrk.path = "/create"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Accept"] = "application/json"
   wrk.headers["api-key"] = args[2]
   wrk.headers["Timestamp"] = args[3]
   wrk.headers["Signature"] = args[4]
   next_ms = tonumber(args[5]) + thread_index * STRIDE_MS
   prefix = args[6]
   suffix = args[7]
end

local function transaction_id()
   local ms = next_ms
   next_ms = next_ms + 1
   local second = math.floor(ms / 1000)
   if second ~= stamp_second then
      stamp_second = second
      stamp_text = os.date("!%Y%m%d%H%M%S", second)
   end
   return api_id .. stamp_text .. string.format("%03d", ms % 1000)
end

function request()
   return wrk.format(nil, nil, nil, prefix .. transaction_id() .. suffix)
end

-- One machine-readable line for the harness; latencies in microseconds.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, ' ..
      '"p50": %d, "p75": %d, "p90": %d, "p99": %d, "p99_9": %d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9)))
end
