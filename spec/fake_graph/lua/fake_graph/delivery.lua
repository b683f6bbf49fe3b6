-- Asynchronous webhook delivery. Events wait in a queue in the shared dict; one drainer at a time,
-- across workers, POSTs them in queue order, each no earlier than DELAY after it was queued (so
-- after the answer of the request that caused it). One POST per event, never retried. The outcome
-- of each delivery is logged for GET /__control/webhooks.
local crypto = require "fake_graph.crypto"
local http_client = require "fake_graph.http_client"
local json = require "fake_graph.json"
local lock = require "fake_graph.lock"
local store = require "fake_graph.store"

local dict, locks = store.dict, lock.dict

local QUEUE = "webhook_queue"
local DRAINER = "webhook_drainer" -- in the locks dict: a reset must not free it
local DRAINER_TTL = 30            -- above one delivery's timeouts; refreshed before each delivery
local DELAY = 0.02
local MAX_LOG = 1000

local M = {}

-- Per worker: one pending timer is enough, as it drains everything queued.
local timer_pending = false

local function record(item, status, err)
  if item.generation ~= store.generation() then return end -- reset meanwhile: not ours to log
  store.append("delivery", json.encode({
    field = item.field, type = item.type, status = status or json.null, error = err or json.null,
  }), MAX_LOG)
end

local function deliver(item)
  local wait = item.not_before - ngx.now()
  if wait >= 0.001 then ngx.sleep(wait) end -- nginx timers have millisecond resolution
  if item.generation ~= store.generation() then return end -- queued by an earlier test
  local status, err = http_client.post(item.target, {
    "Content-Type: application/json",
    "User-Agent: facebookexternalua",
    "X-Hub-Signature-256: sha256=" .. crypto.hmac_sha256_hex(item.secret, item.body),
  }, item.body)
  record(item, status, err)
end

local function drain()
  while true do
    locks:set(DRAINER, true, DRAINER_TTL)
    local raw = dict:lpop(QUEUE)
    if not raw then return end
    deliver(json.decode(raw))
  end
end

local function run(premature)
  timer_pending = false
  if premature then return end
  -- A drainer looks at the queue again after giving up its role, so an event queued while it was
  -- finishing (whose own timer found the role taken) is never left behind.
  repeat
    if not locks:add(DRAINER, true, DRAINER_TTL) then return end
    local ok, err = pcall(drain)
    locks:delete(DRAINER)
    if not ok then ngx.log(ngx.ERR, "webhook delivery failed: ", err) end
  until dict:llen(QUEUE) == 0
end

-- Queues a delivery: { target (http_client.target), secret, body, field, type } (the last two
-- for the log).
function M.enqueue(item)
  item.not_before = ngx.now() + DELAY
  item.generation = store.generation()
  local ok, err = dict:rpush(QUEUE, json.encode(item))
  if ok and not timer_pending then
    ok, err = ngx.timer.at(DELAY, run)
    timer_pending = ok ~= nil
  end
  if not ok then ngx.log(ngx.ERR, "webhook not queued: ", err) end
end

-- Total count of deliveries since the last reset, and the last MAX_LOG of them, oldest first:
-- { field, type, status (HTTP status answered, or null), error (or null) }.
function M.log()
  return store.recent("delivery", MAX_LOG, json.array())
end

return M
