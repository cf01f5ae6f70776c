-- wrk script for scripts/soak: a mix of routes like a web client's, paced to a target rate.
--   PDEX_SOAK_KEY     API key sent as X-API-Key (empty: none)
--   PDEX_SOAK_DELAY   milliseconds each connection waits between requests (pacing; 0: as fast as possible)
-- done() prints one JSON line: requests, errors, latency percentiles (ms).
local key = os.getenv("PDEX_SOAK_KEY") or ""
local delay_ms = tonumber(os.getenv("PDEX_SOAK_DELAY") or "0")
local species = {1, 4, 6, 7, 25, 39, 52, 54, 63, 66, 74, 92, 94, 129, 130, 131, 133, 143, 149, 150}
local natures = {"Hardy", "Modest", "Adamant", "Timid", "Jolly"}
local headers = {["Content-Type"] = "application/json"}
if key ~= "" then headers["X-API-Key"] = key end

math.randomseed(os.time())

local function pick(t) return t[math.random(#t)] end

function request()
  local r = math.random(100)
  if r <= 35 then
    return wrk.format("GET", "/api/v1/pokemon/" .. pick(species), headers)
  elseif r <= 50 then
    return wrk.format("GET", "/api/v1/pokemon?limit=20&offset=" .. math.random(0, 150), headers)
  elseif r <= 58 then
    return wrk.format("GET", "/api/v1/moves?limit=10&offset=" .. math.random(0, 100), headers)
  elseif r <= 62 then
    return wrk.format("GET", "/api/v1/types/effectiveness?attacking=fire&defending=grass", headers)
  elseif r <= 88 then
    local body = string.format('{"pokemon_1_id": %d, "pokemon_2_id": %d, "level_1": %d, "nature_2": "%s"}',
      pick(species), pick(species), math.random(30, 100), pick(natures))
    return wrk.format("POST", "/api/v1/predict/battle", headers, body)
  elseif r <= 96 then
    local body = string.format('{"pokemon_1_id": %d, "pokemon_2_id": %d, "seed": %d, "turn_limit": 100}',
      pick(species), pick(species), math.random(0, 100000))
    return wrk.format("POST", "/api/v1/simulate/battle", headers, body)
  else
    return wrk.format("GET", "/health", headers)
  end
end

function delay()
  if delay_ms <= 0 then return 0 end
  return math.random(math.floor(delay_ms * 0.5), math.floor(delay_ms * 1.5))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "non_2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"status_errors": %d, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
