-- Server state in the lua_shared_dict (shared by all workers): counters, the reset generation,
-- the groups and the index of sent messages. Records are stored as JSON. Callers that change
-- state hold the lock (lock.lua).
local json = require "fake_graph.json"

local dict = ngx.shared.fake_graph

local M = { dict = dict }

-- Next value of a named counter (1, 2, ...), atomic across workers.
function M.next(name)
  return (dict:incr("seq:" .. name, 1, 0))
end

-- Capped logs: entry n of log `name` at "<name>:<n>", counted by the counter `name`; only
-- the last `max` are kept. append stores JSON text and returns the entry's number.
function M.append(name, text, max)
  local n = M.next(name)
  dict:set(name .. ":" .. n, text)
  dict:delete(name .. ":" .. (n - max))
  return n
end

-- The count of entries since the last reset, and the last `max` of them decoded, oldest
-- first, appended to list.
function M.recent(name, max, list)
  local count = dict:get("seq:" .. name) or 0
  for n = math.max(1, count - max + 1), count do
    local raw = dict:get(name .. ":" .. n)
    if raw then list[#list + 1] = json.decode(raw) end
  end
  return count, list
end

local function new_generation()
  return tostring(ngx.now()) .. ":" .. math.random(1e9)
end

-- Changes on every reset: a request that was held (delay fault) across a reset can tell that it
-- belongs to an earlier test and must not touch the new state; cursors and queued webhooks of an
-- earlier test are refused the same way.
function M.generation()
  local generation = dict:get("generation")
  if generation then return generation end
  dict:add("generation", new_generation()) -- first use since start; another worker may win
  return dict:get("generation")
end

function M.reset()
  dict:flush_all()
  dict:set("generation", new_generation())
end

-- The list fields of a group record: JSON decoding makes an empty list an empty table, which must
-- be written back as [].
local GROUP_LISTS = { "participants", "join_requests", "removed", "pins" }

-- Groups, kept in creation order through an index ("group_at:<position>" -> id).
-- safe_set: a full dict must fail the write, not silently evict other state.
function M.put_group(group)
  return dict:safe_set("group:" .. group.id, json.encode(group))
end

function M.add_group(group)
  local ok, err = M.put_group(group)
  if ok then ok, err = dict:safe_set("group_at:" .. group.position, group.id) end
  return ok, err
end

function M.get_group(id)
  local raw = dict:get("group:" .. id)
  local group = raw and json.decode(raw)
  if not group then return nil end
  for _, name in ipairs(GROUP_LISTS) do group[name] = json.array(group[name]) end
  return group
end

function M.delete_group(id)
  dict:delete("group:" .. id)
end

function M.list_groups()
  local list = {}
  for n = 1, dict:get("seq:group") or 0 do
    local id = dict:get("group_at:" .. n)
    local group = id and M.get_group(id)
    if group then list[#list + 1] = group end
  end
  return list
end

-- Messages sent to groups, by wamid: pins may only name one of these.
function M.add_message(wamid, group_id)
  return dict:safe_set("message:" .. wamid, group_id)
end

function M.message_group(wamid)
  return dict:get("message:" .. wamid)
end

return M
