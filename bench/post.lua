-- wrk script: POST a small chat completion request; STREAM=1 asks for an SSE stream.
-- (No response() callback: defining one makes wrk hand every response to Lua, which slows it.)
-- Prints one machine-readable line at the end:
--   RESULT requests=N duration_s=S rps=R p50_us=A p99_us=B errors=E non2xx=M
local stream = os.getenv("STREAM") == "1"
local model = os.getenv("MODEL") or "bench-model"
local prompt = os.getenv("PROMPT") or "Say hello to the benchmark."

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("AUTH") or "bench")
if stream then
  wrk.body = '{"model":"' .. model .. '","stream":true,"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"' .. prompt .. '"}],"max_tokens":16}'
else
  wrk.body = '{"model":"' .. model .. '","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"' .. prompt .. '"}],"max_tokens":16}'
end

-- UNIQUE=1: every request's last user turn is different (a per-run random prefix and a counter), so
-- no cache ever holds it; building each request in Lua costs wrk some CPU, not the gateway.
if os.getenv("UNIQUE") == "1" then
  math.randomseed(os.time())
  local run = string.format("%08x", math.random(0, 0x7fffffff))
  local counter = 0
  local head, tail = wrk.body:match('^(.*"content":")' .. prompt:gsub("%p", "%%%0") .. '(".*)$')
  request = function()
    counter = counter + 1
    return wrk.format(nil, nil, nil, head .. prompt .. " (run " .. run .. ", call " .. counter .. ")" .. tail)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d duration_s=%.3f rps=%.1f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, secs, summary.requests / secs, latency:percentile(50), latency:percentile(99), errors, e.status))
end
