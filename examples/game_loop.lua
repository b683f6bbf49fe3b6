-- A game server's main loop that talks to WhatsApp without ever stalling: it ticks at
-- 60 Hz doing its own work, hands calls to the pump (client:async), and polls the pump
-- with timeout 0 once a tick; callbacks print the results as they come. One call is made
-- from a coroutine ("quest" scripts), which waits without a callback. The guilds' groups
-- are created, their invite links fetched, and once a player has joined, greeted.
--
-- Against the bundled fake Graph server (from the repository's root):
--   make && make fake-graph
--   WHATSAPP_TOKEN=test-token WHATSAPP_PHONE_NUMBER_ID=106540352242922 \
--   WHATSAPP_BASE_URL=http://127.0.0.1:8089 \
--   LUA_PATH="src/?.lua;;" LUA_CPATH="build/lua5.4/?.so;;" lua5.4 examples/game_loop.lua
--   make fake-graph-stop
-- Against Graph, the group ids come from the group_create webhook and players join
-- through the invite links (see webhook_receiver.lua); here the ids are looked up with
-- list_groups, and the fake server plays a player tapping each link.
local groups = require "whatsapp.groups"
local socket = require "socket" -- LuaSocket: gettime and sleep
local http = require "socket.http"
local ltn12 = require "ltn12"

local TICK = 1 / 60
local GUILDS = { "Red", "Green", "Blue" }

local client = groups.new(groups.env_options())
local pump = client:async { max_in_flight = 16 }

local tick, longest, simulated = 0, 0, 0
local created, sent, failed = 0, 0, 0
local ids, quest_done, listing = nil, false, false

local function report(what)
  return function(result, err)
    if result == nil then
      failed = failed + 1
      print(("tick %d: %s failed: %s"):format(tick, what, tostring(err)))
      return false
    end
    return true
  end
end

-- Stand-in for the game's own work in a tick.
local function game_work()
  local x = 0
  for i = 1, 20000 do x = x + math.sin(i) end
  return x
end

-- A quest script, run as a coroutine: the call suspends it until the pump has the answer.
local quest = coroutine.wrap(function(group_id)
  local group = pump:get_group(group_id, { fields = { "subject", "total_participant_count" } })
  print(("tick %d: quest coroutine: %s has %d participant(s)"):format(tick, group.subject,
    group.total_participant_count))
  quest_done = true
end)

-- The fake Graph server's control API: a player taps the group's invite link. (A short
-- blocking request on loopback; with Graph, players join from their phones.)
local function player_joins(group_id, wa_id)
  local started = socket.gettime()
  local body = ('{"group_id":"%s","wa_id":"%s"}'):format(group_id, wa_id)
  http.request {
    url = os.getenv "WHATSAPP_BASE_URL" .. "/__control/join", method = "POST",
    headers = { ["content-type"] = "application/json", ["content-length"] = #body },
    source = ltn12.source.string(body),
  }
  simulated = simulated + socket.gettime() - started -- not the game's time
end

-- Game events that want WhatsApp calls.
local function found_guilds()
  for _, name in ipairs(GUILDS) do
    local ok = report("create " .. name)
    pump:create({ subject = name, description = "The " .. name .. " guild" }, function(r, err)
      if not ok(r, err) then return end
      created = created + 1
      print(("tick %d: guild %q created, request_id %s"):format(tick, name, r.request_id))
    end)
  end
end

local function greet(name, group_id, player)
  local ok = report("invite link of " .. name)
  pump:invite_link(group_id, function(r, err)
    if not ok(r, err) then return end
    print(("tick %d: %s invite link %s"):format(tick, name, r.invite_link))
    player_joins(group_id, player)
    local done = report("send to " .. name)
    pump:send_text(group_id, "Welcome to the " .. name .. " guild!", function(m, e)
      if not done(m, e) then return end
      sent = sent + 1
      print(("tick %d: sent %s to %s"):format(tick, m.message_id, name))
    end)
  end)
end

local function greet_guilds()
  listing = true
  local ok = report("list_groups")
  pump:list_groups({ limit = 100 }, function(page, err)
    if not ok(page, err) then return end
    ids = {}
    for _, g in ipairs(page.groups) do ids[g.subject] = g.id end
    for i, name in ipairs(GUILDS) do greet(name, ids[name], "1650555000" .. i) end
    quest(ids.Green)
  end)
end

local finished
repeat
  local started = socket.gettime()
  simulated = 0
  tick = tick + 1
  game_work()
  if tick == 1 then found_guilds() end
  if created == #GUILDS and not listing then greet_guilds() end
  local in_flight, errors = pump:poll(0) -- never waits: the tick goes on
  for _, e in ipairs(errors or {}) do print("callback error: " .. tostring(e)) end
  local spent = socket.gettime() - started
  if spent - simulated > longest then longest = spent - simulated end
  socket.sleep(TICK - spent)
  finished = (sent + failed >= #GUILDS and quest_done) or failed > 0
until (finished and in_flight == 0) or tick > 60 * 20

pump:close()
client:close()
print(("%d ticks, longest %.1f ms; %d created, %d sent, %d failed"):format(tick, longest * 1000,
  created, sent, failed))
os.exit(failed == 0 and finished and 0 or 1)
