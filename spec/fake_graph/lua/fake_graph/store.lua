-- Server state in the lua_shared_dict (shared by all workers): counters, the reset generation,
-- and the groups. Records are stored as JSON.
local cjson = require "cjson.safe"

local dict = ngx.shared.fake_graph

local M = { dict = dict }

-- Next value of a named counter (1, 2, ...), atomic across workers.
function M.next(name)
  return (dict:incr("seq:" .. name, 1, 0))
end

-- Changes on every reset: a request that was held (delay fault) across a reset can tell that it
-- belongs to an earlier test and must not touch the new state.
function M.generation()
  return dict:get("generation")
end

function M.reset()
  dict:flush_all()
  dict:set("generation", tostring(ngx.now()) .. ":" .. math.random(1e9))
end

-- Groups, kept in creation order through an index ("group_at:<n>" -> id).
-- safe_set: a full dict must fail the write, not silently evict other state.
function M.add_group(group, n)
  local ok, err = dict:safe_set("group:" .. group.id, cjson.encode(group))
  if ok then ok, err = dict:safe_set("group_at:" .. n, group.id) end
  return ok, err
end

function M.get_group(id)
  local raw = dict:get("group:" .. id)
  return raw and cjson.decode(raw)
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

return M
