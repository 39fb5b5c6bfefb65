-- wrk's script for bench/loadtest.py. Read from the environment:
--   BENCH_METHOD (GET), BENCH_PATH, BENCH_BODY (a form, "{key}" replaced by a new submission key
--   on every request), BENCH_HEADERS ("Name: value" lines), BENCH_SECONDS (when to stop sending),
--   BENCH_EXPECT (the status every answer should have) and BENCH_IF_NONE_MATCH (1: send back the
--   ETag of the last answer, as a browser polling does).
-- New requests stop at BENCH_SECONDS, and wrk's own duration is a little longer, so every request
-- sent is answered and counted: the exact-count checks compare these counts with the database.
-- done() prints one line of JSON.
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local body = os.getenv("BENCH_BODY") or ""
local seconds = tonumber(os.getenv("BENCH_SECONDS") or "10")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local revalidate = os.getenv("BENCH_IF_NONE_MATCH") == "1"
local headers = {}
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local threads = {}
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

-- expected and unexpected are globals: done() reads them from each thread with thread:get().
local deadline, etag, counter
function init(args)
  math.randomseed(os.time() * 1000 + id)
  deadline = os.time() + seconds
  expected, unexpected, counter = 0, 0, 0
end

local function submission_key()
  local chars = {}
  for i = 1, 43 do
    local n = math.random(1, 64)
    chars[i] = alphabet:sub(n, n)
  end
  return table.concat(chars)
end

function request()
  local sent = headers
  if revalidate and etag then
    sent = {}
    for name, value in pairs(headers) do sent[name] = value end
    sent["If-None-Match"] = etag
  end
  local form = body
  if form:find("{key}", 1, true) then
    counter = counter + 1
    form = form:gsub("{key}", submission_key()):gsub("{n}", id .. "-" .. counter)
  end
  return wrk.format(method, path, sent, form ~= "" and form or nil)
end

function delay()
  if os.time() >= deadline then return 60000 end
  return 0
end

function response(status, response_headers, response_body)
  if revalidate and response_headers["ETag"] then etag = response_headers["ETag"] end
  if status == expect or (revalidate and status == 304) then
    expected = expected + 1
  else
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local ok, wrong = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("expected")
    wrong = wrong + thread:get("unexpected")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "expected": %d, "unexpected": %d, "socket_errors": %d, ' ..
    '"timeouts": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, ok, wrong, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
